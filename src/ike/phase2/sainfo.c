/* sainfo: which sainfo {} a Quick Mode runs under. IDs match exactly (address, prefix,
 * port, upper protocol), not as filters, as the reference does; anonymous matches
 * anything. The most specific block wins, file order breaks ties. */
#include <string.h>

#include "conf/conf.h"
#include "ike/phase2/p2.h"

static bool id_match(const struct conf_sainfo_id *id, const union sockaddr_any *a,
		     unsigned plen, unsigned proto, uint16_t port, const union sockaddr_any *peer,
		     int *score)
{
	switch (id->kind) {
	case CONF_SAID_ANONYMOUS:
		return true;
	case CONF_SAID_CLIENTADDR:
		if (!peer || !addr_equal(a, peer))
			return false;
		(*score)++;
		return true;
	case CONF_SAID_ADDRESS: {
		if (id->range || id->addr.sa.sa_family != a->sa.sa_family)
			return false;
		unsigned want = id->prefixlen ? id->prefixlen
					      : (a->sa.sa_family == AF_INET ? 32u : 128u);
		unsigned ulp = id->ulproto == CONF_ULPROTO_ANY ? 0 : id->ulproto;
		if (!addr_equal(&id->addr, a) || want != plen || ulp != proto ||
		    addr_port(&id->addr) != port)
			return false;
		*score += 2;
		return true;
	}
	case CONF_SAID_STRING:
	default:
		return false;
	}
}

const struct conf_sainfo *ike_sainfo_find(const struct ike_engine *e,
					  const struct ike_ph2_request *r)
{
	const struct racoon_conf *c = e->conf;
	const struct conf_sainfo *best = NULL;
	int best_score = -1;
	if (!c)
		return NULL;
	for (size_t i = 0; i < c->n_sainfos; i++) {
		const struct conf_sainfo *si = &c->sainfos[i];
		int score = 0;
		if (!id_match(&si->local, &r->src, r->src_plen, r->ulproto, r->sport, NULL, &score) ||
		    !id_match(&si->remote, &r->dst, r->dst_plen, r->ulproto, r->dport, &r->remote,
			      &score))
			continue;
		if (score > best_score) {
			best = si;
			best_score = score;
		}
	}
	return best;
}

void ike_ph2_load_conf(struct ike_ph2 *q, const struct conf_sainfo *si)
{
	struct ike_ph2_conf *cf = &q->cf;
	memset(cf, 0, sizeof(*cf));
	cf->pfs_group = si->pfs_group;
	cf->lifetime_s = si->lifetime_s ? si->lifetime_s : 28800;
	cf->proposal_check = q->ph1 ? q->ph1->cf.proposal_check : CONF_PCHECK_STRICT;
	for (size_t i = 0; i < si->n_enc && i < 16; i++) {
		cf->enc[i].enc = (uint16_t)si->enc[i].id;
		cf->enc[i].keylen = si->enc[i].keylen;
		cf->n_enc++;
	}
	for (size_t i = 0; i < si->n_auth && i < 16; i++)
		cf->auth[cf->n_auth++] = (uint16_t)si->auth[i];
	for (size_t i = 0; i < si->n_comp && i < 16; i++)
		cf->comp[cf->n_comp++] = (uint16_t)si->comp[i];
}
