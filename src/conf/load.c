/* conf/load: reading files, `include`, the top-level loop, defaults and freeing. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/parser.h"

void conf_set_defaults(struct racoon_conf *c)
{
	c->log_level = -1;
	c->kernel_interface = CONF_KERNEL_XFRM;
	c->complex_bundle = true; /* the reference's code, not its man page */
	c->padding = (struct conf_padding){ .randomize = true, .maximum_length = 20,
					    .exclusive_tail = true };
	c->timer = (struct conf_timer){ .counter = 5, .interval_s = 10, .persend = 1,
					.phase1_s = 30, .phase2_s = 30, .natt_keepalive_s = 20 };
	c->listen.adminsock.mode = 0600;
	c->privsep.uid = c->privsep.gid = -1;
	c->mode_cfg.pool_size = 255;
	c->mode_cfg.auth_throttle = 1;
}

void remote_set_defaults(struct conf_remote *r)
{
	r->anonymous = true;
	r->doi = 1;
	r->situation = CONF_SIT_IDENTITY_ONLY;
	r->my_identifier.type = CONF_ID_ADDRESS;
	r->verify_cert = r->send_cert = r->send_cr = true;
	r->lifetime_s = 28800;
	r->proposal_check = CONF_PCHECK_STRICT;
	r->initial_contact = true;
	r->dpd = true;
	r->dpd_retry = 5;
	r->dpd_maxfail = 5;
	r->rekey = CONF_ON;
	r->nonce_size = 16;
}

void sainfo_set_defaults(struct conf_sainfo *s)
{
	s->lifetime_s = 28800;
}

void conf_free(struct racoon_conf *c)
{
	if (!c)
		return;
	free(c->path);
	for (size_t i = 0; i < c->n_files; i++)
		free(c->files[i]);
	free(c->files);
	struct conf_paths *ps = &c->paths;
	free(ps->include);
	free(ps->pre_shared_key);
	free(ps->certificate);
	free(ps->script);
	free(ps->backupsa);
	free(ps->pidfile);
	free(c->listen.addrs);
	free(c->listen.adminsock.path);
	free(c->listen.adminsock.owner);
	free(c->listen.adminsock.group);
	free(c->privsep.user);
	free(c->privsep.group);
	free(c->privsep.chroot);
	struct conf_modecfg *m = &c->mode_cfg;
	free(m->default_domain);
	free(m->split_network);
	for (size_t i = 0; i < m->n_split_dns; i++)
		free(m->split_dns[i]);
	free(m->split_dns);
	free(m->banner);
	for (size_t i = 0; i < c->n_remotes; i++)
		remote_free(&c->remotes[i]);
	free(c->remotes);
	for (size_t i = 0; i < c->n_sainfos; i++)
		sainfo_free(&c->sainfos[i]);
	free(c->sainfos);
	free(c);
}

/* Remember a file name for the life of the config; messages and structs point here. */
static const char *add_file(struct parser *p, const char *name)
{
	char *copy = NULL;
	if (!grow(p, (void **)&p->conf->files, &p->conf->n_files, sizeof(char *), 10000,
		  "configuration files") ||
	    !(copy = pstrdup(p, name))) {
		if (p->conf->n_files && !p->conf->files[p->conf->n_files - 1])
			p->conf->n_files--;
		return NULL;
	}
	p->conf->files[p->conf->n_files - 1] = copy;
	return copy;
}

/* Read a whole regular file of bounded size. 0 or negative errno. */
static int read_file(const char *path, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	struct stat st;
	int r = 0;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	else if ((uintmax_t)st.st_size > CONF_MAX_FILE_SIZE)
		r = -EFBIG;
	char *buf = r ? NULL : malloc((size_t)st.st_size + 1);
	if (!r && !buf)
		r = -ENOMEM;
	size_t n = 0;
	while (!r && n < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + n, (size_t)st.st_size - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			r = k < 0 ? -errno : 0;
			break; /* the file shrank: use what is there */
		}
		n += (size_t)k;
	}
	close(fd);
	if (r) {
		free(buf);
		return r;
	}
	*text = buf;
	*len = n;
	return 0;
}

static void parse_toplevel(struct parser *p);

/* Parse one more source (main file or include) to its end. */
static void parse_source(struct parser *p, const char *name, const char *text, size_t len)
{
	int r = lex_push(&p->lx, name, text, len);
	if (r < 0) {
		if (r == -ENOMEM)
			p->oom = true;
		return;
	}
	next(p);
	parse_toplevel(p);
	lex_pop(&p->lx);
}

static void include_one(struct parser *p, const char *path, const char *ifile, unsigned iline)
{
	if (p->lx.depth > CONF_MAX_INCLUDE_DEPTH) {
		perr_at(p, ifile, iline, "include nesting is deeper than %d (does a file include "
					 "itself?)", CONF_MAX_INCLUDE_DEPTH);
		return;
	}
	char *text;
	size_t len;
	int r = read_file(path, &text, &len);
	if (r < 0) {
		perr_at(p, ifile, iline, "cannot read included file %s: %s", path, strerror(-r));
		return;
	}
	const char *name = add_file(p, path);
	if (name)
		parse_source(p, name, text, len);
	free(text);
}

/* The directory part of file, for includes relative to the including file. */
static char *dir_of(struct parser *p, const char *file)
{
	const char *slash = strrchr(file, '/');
	if (!slash)
		return NULL;
	char *d = strndup(file, (size_t)(slash - file) + 1);
	if (!d)
		p->oom = true;
	return d;
}

/* include "glob"; -- the current token is the string. */
static void parse_include(struct parser *p)
{
	const char *ifile = p->tok.file;
	unsigned iline = p->tok.line;
	if (!at(p, TOK_STRING) || !p->tok.text[0]) {
		perr(p, "include needs a quoted file name or pattern");
		recover(p);
		return;
	}
	char *base = p->conf->paths.include ? NULL : dir_of(p, ifile);
	char *pattern = path_join(p, p->conf->paths.include ? p->conf->paths.include : base,
				  p->tok.text);
	free(base);
	next(p);
	if (!pattern || !at(p, TOK_SEMI)) { /* the ';' stays: the next token is read after */
		expect_semi(p);
		free(pattern);
		recover(p);
		return;
	}
	if (p->opts && p->opts->no_includes) {
		perr_at(p, ifile, iline, "include is disabled here");
	} else {
		glob_t g;
		int r = glob(pattern, GLOB_TILDE, NULL, &g);
		if (r == GLOB_NOMATCH)
			perr_at(p, ifile, iline, "include \"%s\": no such file", pattern);
		else if (r != 0)
			perr_at(p, ifile, iline, "include \"%s\": cannot expand the pattern", pattern);
		for (size_t i = 0; r == 0 && i < g.gl_pathc && !p->oom; i++)
			include_one(p, g.gl_pathv[i], ifile, iline);
		if (r == 0 || r == GLOB_NOMATCH)
			globfree(&g);
	}
	free(pattern);
	next(p); /* past the ';' */
}

static void parse_toplevel(struct parser *p)
{
	while (!at(p, TOK_EOF) && !p->oom) {
		if (p->n_errors > CONF_MAX_ERRORS)
			return;
		char d[96];
		switch (p->tok.type) {
		case TOK_WORD:
			if (at_word(p, "include")) {
				next(p);
				parse_include(p);
			} else {
				parse_global_statement(p);
			}
			break;
		case TOK_SEMI:
			next(p);
			break;
		case TOK_ERROR: /* reported by next() */
			next(p);
			break;
		case TOK_RBRACE:
			perr(p, "unexpected '}' (no block is open)");
			next(p);
			break;
		default:
			perr(p, "expected a statement, found %s", tok_describe(&p->tok, d, sizeof(d)));
			if (at(p, TOK_LBRACE))
				skip_block(p);
			else
				next(p);
		}
	}
}

static int finish(struct parser *p, struct racoon_conf **out)
{
	if (!p->oom && p->n_errors == 0)
		conf_validate(p);
	lex_free(&p->lx);
	if (p->oom || p->n_errors) {
		int r = p->oom ? -ENOMEM : -EINVAL;
		if (p->oom)
			perr_at(p, NULL, 0, "out of memory while reading the configuration");
		conf_free(p->conf);
		return r;
	}
	*out = p->conf;
	return 0;
}

static int parse_main(const char *name, const char *text, size_t len,
		      const struct conf_load_opts *o, struct racoon_conf **out)
{
	struct parser p = { .opts = o };
	p.conf = calloc(1, sizeof(*p.conf));
	if (!p.conf)
		return -ENOMEM;
	conf_set_defaults(p.conf);
	p.conf->path = pstrdup(&p, name);
	const char *fname = add_file(&p, name);
	if (fname)
		parse_source(&p, fname, text, len);
	return finish(&p, out);
}

int conf_parse_string(const char *name, const char *text, size_t len,
		      const struct conf_load_opts *o, struct racoon_conf **out)
{
	return parse_main(name, text, len, o, out);
}

int conf_load_with(const char *path, const struct conf_load_opts *o, struct racoon_conf **out)
{
	char *text;
	size_t len;
	int r = read_file(path, &text, &len);
	if (r < 0) {
		struct parser p = { .opts = o };
		struct racoon_conf dummy = { 0 };
		p.conf = &dummy;
		perr_at(&p, NULL, 0, "cannot read %s: %s", path, strerror(-r));
		return r;
	}
	r = parse_main(path, text, len, o, out);
	free(text);
	return r;
}

int conf_load(const char *path, struct racoon_conf **out)
{
	return conf_load_with(path, NULL, out);
}
