/* conf/ident: phase-1 identifiers (my_identifier, peers_identifier, sainfo `from`). */
#include <stdlib.h>
#include <string.h>

#include "conf/names.h"
#include "conf/parser.h"

void conf_id_free(struct conf_id *id)
{
	free(id->str);
	memset(id, 0, sizeof(*id));
}

bool conf_id_copy(struct parser *p, struct conf_id *dst, const struct conf_id *src)
{
	*dst = *src;
	dst->str = NULL;
	if (src->str && !(dst->str = pstrdup(p, src->str)))
		return false;
	return true;
}

/* TYPE [value]:
 *   address [ADDR] | fqdn "name" | user_fqdn "user@name" | keyid [file] "path" |
 *   keyid tag "tag" | asn1dn ["DN"]
 * Values may be quoted or bare words, as the reference allows. */
bool get_identifier(struct parser *p, struct conf_id *id, bool allow_file)
{
	int t;
	conf_id_free(id);
	if (!get_kw(p, kw_id_type, kw_id_type_n, "an identifier type", &t))
		return false;
	id->type = (enum conf_id_type)t;
	bool have_value = at(p, TOK_STRING) || at(p, TOK_WORD);
	switch (id->type) {
	case CONF_ID_ADDRESS:
		if (!have_value)
			return true;
		if (!parse_addr_text(p->tok.text, &id->addr)) {
			perr(p, "'%s' is not an IPv4 or IPv6 address", p->tok.text);
			return false;
		}
		id->has_addr = true;
		id->str = pstrdup(p, p->tok.text);
		next(p);
		return id->str != NULL;
	case CONF_ID_ASN1DN:
		if (!have_value)
			return true; /* the subject of our certificate */
		break;
	case CONF_ID_KEYID:
		if (at_word(p, "tag")) {
			next(p);
		} else {
			if (at_word(p, "file"))
				next(p);
			if (!allow_file) {
				perr(p, "keyid here takes 'tag \"string\"'");
				return false;
			}
			id->keyid_file = true;
		}
		break;
	default:
		break;
	}
	if (!at(p, TOK_STRING) && !at(p, TOK_WORD)) {
		char what[64];
		snprintf(what, sizeof(what), "the %s value", conf_id_type_name(id->type));
		return get_string(p, what, &id->str);
	}
	if (!p->tok.text[0]) {
		perr(p, "the %s value is empty", conf_id_type_name(id->type));
		return false;
	}
	return get_word_or_string(p, "an identifier", &id->str);
}
