/* owner: the ownership record of SAs and policies (hash set + append-only journal).
 *
 * Journal lines (text, one per change, so a killed racoon leaves at worst one partial
 * last line, which replay ignores):
 *   S+ PROTO SPI DST SRC REQID          S- PROTO SPI DST
 *   P+ DIR PRIO SRC/PLEN DST/PLEN PROTO SPORT DPORT IFINDEX
 *   P- DIR SRC/PLEN DST/PLEN PROTO SPORT DPORT IFINDEX
 */
#include "kernel/owner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log/log.h"

#define LINE_MAX_LEN 256

struct owner {
	struct owned **bucket;
	size_t n_bucket; /* power of two */
	size_t count;
	int fd;          /* journal, -1 when memory only */
	char *path;
};

/* ---- Keys and hashing --------------------------------------------------------------- */

static void key_addr(uint8_t *k, size_t *n, const union sockaddr_any *a)
{
	size_t len = 0;
	const uint8_t *b = addr_bytes(a, &len);
	k[(*n)++] = (uint8_t)a->sa.sa_family;
	memset(k + *n, 0, 16);
	if (b && len <= 16)
		memcpy(k + *n, b, len);
	*n += 16;
}

static size_t key_sa(uint8_t *k, const struct kernel_sa_id *id)
{
	size_t n = 0;
	k[n++] = 'S';
	k[n++] = (uint8_t)id->proto;
	key_addr(k, &n, &id->dst);
	memcpy(k + n, &id->spi, 4);
	return n + 4;
}

static size_t key_pol(uint8_t *k, const struct kernel_policy *p)
{
	const struct kernel_selector *s = &p->sel;
	size_t n = 0;
	k[n++] = 'P';
	k[n++] = (uint8_t)p->dir;
	key_addr(k, &n, &s->src);
	key_addr(k, &n, &s->dst);
	k[n++] = s->src_plen;
	k[n++] = s->dst_plen;
	k[n++] = s->proto;
	memcpy(k + n, &s->sport, 2);
	memcpy(k + n + 2, &s->dport, 2);
	memcpy(k + n + 4, &s->ifindex, 4);
	return n + 8;
}

static uint32_t fnv1a(const uint8_t *k, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 16777619u;
	return h;
}

static size_t key_of(const struct owned *e, uint8_t *k)
{
	return e->is_policy ? key_pol(k, &e->pol) : key_sa(k, &e->sa);
}

static struct owned **slot(const struct owner *o, const uint8_t *k, size_t kn, uint32_t h)
{
	struct owned **pp = &o->bucket[h & (o->n_bucket - 1)];
	for (; *pp; pp = &(*pp)->next) {
		uint8_t k2[64];
		if ((*pp)->hash == h && key_of(*pp, k2) == kn && memcmp(k, k2, kn) == 0)
			break;
	}
	return pp;
}

static int grow(struct owner *o)
{
	size_t nb = o->n_bucket * 2;
	struct owned **b = calloc(nb, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < o->n_bucket; i++) {
		struct owned *e = o->bucket[i], *next;
		for (; e; e = next) {
			next = e->next;
			e->next = b[e->hash & (nb - 1)];
			b[e->hash & (nb - 1)] = e;
		}
	}
	free(o->bucket);
	o->bucket = b;
	o->n_bucket = nb;
	return 0;
}

/* Insert or replace (an entry for the same key is overwritten). */
static int put(struct owner *o, const struct owned *tmpl)
{
	uint8_t k[64];
	size_t kn = key_of(tmpl, k);
	uint32_t h = fnv1a(k, kn);
	struct owned **pp = slot(o, k, kn, h);
	if (*pp) {
		struct owned *next = (*pp)->next;
		**pp = *tmpl;
		(*pp)->next = next;
		(*pp)->hash = h;
		return 0;
	}
	if (o->count >= o->n_bucket && grow(o) < 0)
		return -ENOMEM;
	struct owned *e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	*e = *tmpl;
	e->hash = h;
	e->next = o->bucket[h & (o->n_bucket - 1)];
	o->bucket[h & (o->n_bucket - 1)] = e;
	o->count++;
	return 0;
}

static void drop(struct owner *o, const struct owned *tmpl)
{
	uint8_t k[64];
	size_t kn = key_of(tmpl, k);
	struct owned **pp = slot(o, k, kn, fnv1a(k, kn));
	if (*pp) {
		struct owned *e = *pp;
		*pp = e->next;
		free(e);
		o->count--;
	}
}

static const struct owned *find(const struct owner *o, const struct owned *tmpl)
{
	uint8_t k[64];
	size_t kn = key_of(tmpl, k);
	return *slot(o, k, kn, fnv1a(k, kn));
}

/* ---- Journal lines ---------------------------------------------------------------- */

static const char *ntop(const union sockaddr_any *a, char buf[ADDR_STRLEN])
{
	return a->sa.sa_family ? addr_ntop(a, buf) : "-";
}

static int format(const struct owned *e, bool add, char *line, size_t n)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	if (!e->is_policy)
		return add ? snprintf(line, n, "S+ %u %08x %s %s %u\n", e->sa.proto, e->sa.spi,
				      ntop(&e->sa.dst, a), ntop(&e->sa.src, b), e->reqid)
			   : snprintf(line, n, "S- %u %08x %s\n", e->sa.proto, e->sa.spi,
				      ntop(&e->sa.dst, a));
	const struct kernel_selector *s = &e->pol.sel;
	int k = snprintf(line, n, "P%c %u ", add ? '+' : '-', e->pol.dir);
	if (add)
		k += snprintf(line + k, n - (size_t)k, "%u ", e->pol.priority);
	k += snprintf(line + k, n - (size_t)k, "%s/%u %s/%u %u %u %u %d\n", ntop(&s->src, a),
		      s->src_plen, ntop(&s->dst, b), s->dst_plen, s->proto, s->sport, s->dport,
		      s->ifindex);
	return k;
}

static bool parse_addr(const char *s, union sockaddr_any *a)
{
	memset(a, 0, sizeof(*a));
	return strcmp(s, "-") == 0 || addr_parse(s, a) == 0;
}

static bool parse_line(const char *line, struct owned *e, bool *add)
{
	char op[3], a[ADDR_STRLEN], b[ADDR_STRLEN];
	unsigned u[8];
	int idx;
	memset(e, 0, sizeof(*e));
	if (sscanf(line, "%2s", op) != 1 || (op[0] != 'S' && op[0] != 'P') ||
	    (op[1] != '+' && op[1] != '-') || op[2])
		return false;
	*add = op[1] == '+';
	e->is_policy = op[0] == 'P';
	if (!e->is_policy) {
		int n = sscanf(line + 3, "%u %x %63s %63s %u", &u[0], &u[1], a, b, &u[2]);
		if (n != (*add ? 5 : 3) || !parse_addr(a, &e->sa.dst) ||
		    (*add && !parse_addr(b, &e->sa.src)))
			return false;
		e->sa.proto = (enum kernel_proto)u[0];
		e->sa.spi = u[1];
		e->reqid = *add ? u[2] : 0;
		return true;
	}
	const char *rest = line + 3;
	int used = 0;
	if (sscanf(rest, "%u%n", &u[0], &used) != 1)
		return false;
	rest += used;
	if (*add) {
		if (sscanf(rest, "%u%n", &u[1], &used) != 1)
			return false;
		rest += used;
	}
	if (sscanf(rest, " %63[^/]/%u %63[^/]/%u %u %u %u %d", a, &u[2], b, &u[3], &u[4],
		   &u[5], &u[6], &idx) != 8)
		return false;
	struct kernel_selector *s = &e->pol.sel;
	if (!parse_addr(a, &s->src) || !parse_addr(b, &s->dst) || u[2] > 128 || u[3] > 128 ||
	    u[4] > 255 || u[5] > 65535 || u[6] > 65535 || u[0] > KERNEL_DIR_FWD)
		return false;
	e->pol.dir = (enum kernel_dir)u[0];
	e->pol.priority = *add ? u[1] : 0;
	s->src_plen = (uint8_t)u[2];
	s->dst_plen = (uint8_t)u[3];
	s->proto = (uint8_t)u[4];
	s->sport = (uint16_t)u[5];
	s->dport = (uint16_t)u[6];
	s->ifindex = idx;
	return true;
}

static void journal(struct owner *o, const struct owned *e, bool add)
{
	if (o->fd < 0)
		return;
	char line[LINE_MAX_LEN];
	int n = format(e, add, line, sizeof(line));
	/* One write per line with O_APPEND: a line is either whole or the last one. */
	if (n <= 0 || (size_t)n >= sizeof(line) || write(o->fd, line, (size_t)n) != n)
		log_warning("kernel", "cannot write the ownership record %s: %m", o->path);
}

/* ---- Open: replay, then rewrite the current set as the new journal ------------------- */

static int replay(struct owner *o)
{
	FILE *f = fopen(o->path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	char line[LINE_MAX_LEN];
	unsigned bad = 0;
	while (fgets(line, sizeof(line), f)) {
		struct owned e;
		bool add;
		if (!strchr(line, '\n') || !parse_line(line, &e, &add)) {
			bad++;
			continue;
		}
		if (add ? put(o, &e) < 0 : (drop(o, &e), false)) {
			fclose(f);
			return -ENOMEM;
		}
	}
	fclose(f);
	if (bad)
		log_notify("kernel", "%s: ignored %u unreadable lines", o->path, bad);
	return 0;
}

static int compact(struct owner *o)
{
	size_t plen = strlen(o->path) + 5;
	char *tmp = malloc(plen);
	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, plen, "%s.new", o->path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int r = fd < 0 ? -errno : 0;
	if (fd >= 0) {
		int saved = o->fd;
		o->fd = fd;
		for (size_t i = 0; i < o->n_bucket; i++)
			for (struct owned *e = o->bucket[i]; e; e = e->next)
				journal(o, e, true);
		o->fd = saved;
		if (fsync(fd) < 0 || rename(tmp, o->path) < 0)
			r = -errno;
		close(fd);
	}
	if (r < 0)
		unlink(tmp);
	free(tmp);
	return r;
}

int owner_open(const char *dir, struct owner **out)
{
	struct owner *o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->fd = -1;
	o->n_bucket = 64;
	o->bucket = calloc(o->n_bucket, sizeof(*o->bucket));
	if (!o->bucket) {
		free(o);
		return -ENOMEM;
	}
	int r = 0;
	if (dir) {
		size_t n = strlen(dir) + sizeof(OWNER_FILE) + 2;
		o->path = malloc(n);
		if (!o->path)
			r = -ENOMEM;
		else
			snprintf(o->path, n, "%s/%s", dir, OWNER_FILE);
		if (r == 0)
			r = replay(o);
		if (r == 0)
			r = compact(o);
		if (r == 0) {
			o->fd = open(o->path, O_WRONLY | O_APPEND | O_CLOEXEC);
			if (o->fd < 0)
				r = -errno;
		}
	}
	if (r < 0) {
		owner_close(o);
		return r;
	}
	*out = o;
	return 0;
}

void owner_close(struct owner *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n_bucket; i++) {
		struct owned *e = o->bucket[i], *next;
		for (; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(o->bucket);
	if (o->fd >= 0)
		close(o->fd);
	free(o->path);
	free(o);
}

size_t owner_count(const struct owner *o) { return o->count; }

/* ---- Public set operations --------------------------------------------------------- */

static void sa_tmpl(struct owned *e, const struct kernel_sa_id *id, uint32_t reqid)
{
	memset(e, 0, sizeof(*e));
	e->sa = *id;
	e->reqid = reqid;
}

static void pol_tmpl(struct owned *e, const struct kernel_policy *p)
{
	memset(e, 0, sizeof(*e));
	e->is_policy = true;
	e->pol.sel = p->sel;
	e->pol.dir = p->dir;
	e->pol.priority = p->priority;
}

int owner_sa_add(struct owner *o, const struct kernel_sa_id *id, uint32_t reqid)
{
	struct owned e;
	sa_tmpl(&e, id, reqid);
	int r = put(o, &e);
	if (r == 0)
		journal(o, &e, true);
	return r;
}

void owner_sa_del(struct owner *o, const struct kernel_sa_id *id)
{
	struct owned e;
	sa_tmpl(&e, id, 0);
	if (find(o, &e)) {
		drop(o, &e);
		journal(o, &e, false);
	}
}

const struct owned *owner_sa_find(const struct owner *o, const struct kernel_sa_id *id)
{
	struct owned e;
	sa_tmpl(&e, id, 0);
	return find(o, &e);
}

int owner_pol_add(struct owner *o, const struct kernel_policy *p)
{
	struct owned e;
	pol_tmpl(&e, p);
	int r = put(o, &e);
	if (r == 0)
		journal(o, &e, true);
	return r;
}

void owner_pol_del(struct owner *o, const struct kernel_policy *p)
{
	struct owned e;
	pol_tmpl(&e, p);
	if (find(o, &e)) {
		drop(o, &e);
		journal(o, &e, false);
	}
}

const struct owned *owner_pol_find(const struct owner *o, const struct kernel_policy *p)
{
	struct owned e;
	pol_tmpl(&e, p);
	return find(o, &e);
}

int owner_snapshot(const struct owner *o, struct owned **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (o->count == 0)
		return 0;
	struct owned *arr = calloc(o->count, sizeof(*arr));
	if (!arr)
		return -ENOMEM;
	size_t k = 0;
	for (size_t i = 0; i < o->n_bucket; i++)
		for (struct owned *e = o->bucket[i]; e && k < o->count; e = e->next)
			arr[k++] = *e;
	*out = arr;
	*n = k;
	return 0;
}
