/* conf/names: keyword tables for algorithms, groups and identifier types. Internal. */
#ifndef RACOON_CONF_NAMES_H
#define RACOON_CONF_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/parser.h"

extern const struct kw kw_ike_enc[], kw_hash[], kw_auth_method[], kw_esp_enc[],
	kw_esp_auth[], kw_comp[], kw_id_type[];
extern const size_t kw_ike_enc_n, kw_hash_n, kw_auth_method_n, kw_esp_enc_n, kw_esp_auth_n,
	kw_comp_n, kw_id_type_n;

/* Why the reference's keyword is refused here, or NULL. */
const char *names_refused(const char *word);
/* Like get_kw(), but a refused name gets its reason instead of "unknown". */
bool get_kw_or_refused(struct parser *p, const struct kw *tab, size_t n, const char *what,
		       int *out);
/* Is bits a valid key length for the cipher (esp: IPsec transform id, else IKE value)?
 * *deflt is the length used when none is written (0: fixed). */
bool names_keylen_ok(bool esp, unsigned alg, unsigned bits, unsigned *deflt);
bool names_esp_is_aead(unsigned alg);

#endif
