/* setkey: show and change the kernel's SAD and SPD.
 *
 * A small tool with a table of modes: scripts (-f, -c, file arguments), dumps (-D,
 * -DP), flushes (-F, -FP), the monitor (-x). Scripts are parsed whole (every file)
 * before the first kernel call; at the first failure setkey stops and says exactly
 * which command lines were applied.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event/event.h"
#include "kernel/kernel.h"
#include "setkey/apply.h"
#include "setkey/cmd.h"
#include "setkey/format.h"
#include "setkey/input.h"
#include "setkey/monitor.h"

struct options {
	bool stdin_script;  /* -c */
	const char *file;   /* -f */
	bool dump, flush;   /* -D, -F */
	bool spd;           /* -P */
	bool ports;         /* -p */
	bool all;           /* -a */
	bool noact;         /* -n */
	bool verbose;       /* -v */
	bool rfc_mode;      /* -r (default) / -k */
	int monitor;        /* -x count */
	const char *backend;
	char **files;       /* file arguments */
	int n_files;
};

struct script_file {
	const char *name;
	struct buf text;
	struct sk_script script;
};

static void usage(FILE *f)
{
	fputs("usage: setkey [-knrv] [-b backend] file ...\n"
	      "       setkey [-knrv] [-b backend] -c\n"
	      "       setkey [-knrv] [-b backend] -f filename\n"
	      "       setkey [-aPpv] [-b backend] -D\n"
	      "       setkey [-Pv] [-b backend] -F\n"
	      "       setkey [-b backend] -x[x]\n"
	      "       setkey -h | -V\n"
	      "  -f FILE  run the commands in FILE (- = stdin)   -c  run commands from stdin\n"
	      "  -D       dump the SAD (-DP: the SPD)            -F  flush the SAD (-FP: the SPD)\n"
	      "  -n       check the syntax only (with -v: print the commands as parsed)\n"
	      "  -r       RFC semantics: an in policy gets a fwd twin (default); -k: kernel's\n"
	      "  -a       with -D: also dead SAs (XFRM dumps show every SA anyway)\n"
	      "  -p       with -DP: ports of tunnel endpoints (XFRM has none to show)\n"
	      "  -v       print each command as it is applied    -x  monitor kernel events\n"
	      "  -b NAME  kernel backend: xfrm (default) or pfkey\n"
	      "See setkey(8).\n", f);
}

static void warn_cb(void *ud, unsigned line, unsigned col, const char *msg)
{
	fprintf(stderr, "setkey: %s:%u:%u: warning: %s\n", (const char *)ud, line, col, msg);
}

static int load_file(struct script_file *sf, const struct options *o)
{
	struct sk_parse_opts po = { .warn = warn_cb, .warn_userdata = (void *)sf->name };
	struct sk_error err;
	int rc = sk_read_input(strcmp(sf->name, "(stdin)") == 0 ? "-" : sf->name, &sf->text);

	(void)o;
	if (rc < 0) {
		fprintf(stderr, "setkey: %s: %s\n", sf->name,
			rc == -EFBIG ? "file too large (16 MiB at most)" : strerror(-rc));
		return -1;
	}
	rc = sk_parse((const char *)sf->text.ptr, sf->text.len, &po, &sf->script, &err);
	buf_free(&sf->text); /* wiped: keys now live only in the parsed commands */
	if (rc < 0) {
		fprintf(stderr, "setkey: %s:%u:%u: %s\n", sf->name, err.line, err.col, err.msg);
		return -1;
	}
	return 0;
}

/* "1-3, 5, 9" from the start lines of commands [from, to). */
static void print_lines(FILE *f, const struct sk_script *s, size_t from, size_t to)
{
	for (size_t i = from; i < to;) {
		size_t j = i;
		while (j + 1 < to && s->cmds[j + 1].line == s->cmds[j].end_line + 1)
			j++;
		fprintf(f, "%s%u", i > from ? ", " : "", s->cmds[i].line);
		if (j > i)
			fprintf(f, "-%u", s->cmds[j].end_line);
		i = j + 1;
	}
}

static void report_failure(const struct script_file *sf, const struct sk_apply_result *r)
{
	const struct sk_script *s = &sf->script;
	const struct sk_cmd *c = &s->cmds[r->done];

	fprintf(stderr, "setkey: %s:%u:%u: %s failed: %s\n", sf->name, c->line, c->col,
		sk_op_name(c->op), r->msg);
	fprintf(stderr, "setkey: %s: applied %zu of %zu commands", sf->name, r->done, s->n);
	if (r->done) {
		fputs(r->done == 1 && s->cmds[0].line == s->cmds[0].end_line ? " (line " : " (lines ",
		      stderr);
		print_lines(stderr, s, 0, r->done);
		fputc(')', stderr);
	}
	bool one = s->n - r->done == 1 && c->line == c->end_line;
	fprintf(stderr, "; not applied: %s", one ? "line " : "lines ");
	print_lines(stderr, s, r->done, s->n);
	fputc('\n', stderr);
}

static int open_kernel(const struct options *o, struct kernel **k)
{
	int rc = kernel_open(o->backend, NULL, k);

	if (rc == -EAFNOSUPPORT)
		fprintf(stderr, "setkey: this kernel has no %s interface%s\n", o->backend,
			strcmp(o->backend, "pfkey") == 0 ? " (CONFIG_NET_KEY): use -b xfrm" : "");
	else if (rc == -ENOENT)
		fprintf(stderr, "setkey: no kernel backend named '%s' in this build\n", o->backend);
	else if (rc < 0)
		fprintf(stderr, "setkey: opening the %s backend: %s\n", o->backend, strerror(-rc));
	return rc;
}

static int run_scripts(struct script_file *files, int n, const struct options *o)
{
	struct sk_apply_opts ao = { .rfc_mode = o->rfc_mode, .verbose = o->verbose,
				    .fmt_flags = SK_FMT_KEYS | (o->ports ? SK_FMT_PORTS : 0),
				    .out = stdout };
	struct kernel *k = NULL;
	int rc = 0;

	if (o->noact) {
		for (int i = 0; i < n && o->verbose; i++)
			for (size_t j = 0; j < files[i].script.n; j++)
				sk_cmd_print(stdout, &files[i].script.cmds[j], 0);
		return 0;
	}
	if (open_kernel(o, &k) < 0)
		return -1;
	for (int i = 0; i < n && rc == 0; i++) {
		struct sk_apply_result r;
		rc = sk_apply(k, &files[i].script, &ao, &r);
		if (rc < 0) {
			for (int j = 0; j < i; j++)
				fprintf(stderr, "setkey: %s: applied all %zu commands\n", files[j].name,
					files[j].script.n);
			report_failure(&files[i], &r);
			for (int j = i + 1; j < n; j++)
				fprintf(stderr, "setkey: %s: not applied (an earlier file failed)\n",
					files[j].name);
		}
	}
	fflush(stdout);
	kernel_close(k);
	return rc < 0 ? -1 : 0;
}

static int mode_scripts(const struct options *o)
{
	int n = o->file || o->stdin_script ? 1 : o->n_files;
	struct script_file *files = calloc((size_t)n, sizeof(*files));
	int rc = 0;

	if (!files)
		return -1;
	for (int i = 0; i < n; i++)
		files[i].name = o->stdin_script || (o->file && strcmp(o->file, "-") == 0) ? "(stdin)"
				: o->file ? o->file : o->files[i];
	for (int i = 0; i < n && rc == 0; i++) /* everything parsed before anything runs */
		rc = load_file(&files[i], o);
	if (rc == 0)
		rc = run_scripts(files, n, o);
	for (int i = 0; i < n; i++)
		sk_script_free(&files[i].script);
	free(files);
	return rc;
}

/* -D, -DP, -F, -FP: a one-command script. */
static int mode_single(const struct options *o)
{
	struct sk_cmd c = { .line = 1, .col = 1, .end_line = 1 };
	struct sk_script s = { .cmds = &c, .n = 1 };
	struct script_file sf = { .name = "command line", .script = s };

	c.op = o->dump ? (o->spd ? SK_OP_SPDDUMP : SK_OP_DUMP)
		       : (o->spd ? SK_OP_SPDFLUSH : SK_OP_FLUSH);
	return run_scripts(&sf, 1, o);
}

static int mode_monitor(const struct options *o)
{
	return sk_monitor(o->backend, o->monitor > 1, stdout) < 0 ? -1 : 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int c;

	*o = (struct options){ .rfc_mode = true, .backend = "xfrm" };
	while ((c = getopt(argc, argv, "ab:cf:hknprvxDFPV")) != -1) {
		switch (c) {
		case 'a': o->all = true; break;
		case 'b': o->backend = optarg; break;
		case 'c': o->stdin_script = true; break;
		case 'f': o->file = optarg; break;
		case 'h': usage(stdout); exit(EXIT_SUCCESS);
		case 'k': o->rfc_mode = false; break;
		case 'n': o->noact = true; break;
		case 'p': o->ports = true; break;
		case 'r': o->rfc_mode = true; break;
		case 'v': o->verbose = true; break;
		case 'x': o->monitor++; break;
		case 'D': o->dump = true; break;
		case 'F': o->flush = true; break;
		case 'P': o->spd = true; break;
		case 'V': printf("setkey (racoon) %s\n", PACKAGE_VERSION); exit(EXIT_SUCCESS);
		default: usage(stderr); return -1;
		}
	}
	o->files = argv + optind;
	o->n_files = argc - optind;
	int modes = (o->stdin_script || o->file) + o->dump + o->flush + (o->monitor > 0) +
		    (o->n_files > 0 && !o->file && !o->stdin_script);
	if (modes != 1 || (o->n_files > 0 && (o->file || o->stdin_script))) {
		fputs("setkey: give exactly one of -c, -f FILE, FILE..., -D, -F, -x\n", stderr);
		usage(stderr);
		return -1;
	}
	if (strcmp(o->backend, "xfrm") != 0 && strcmp(o->backend, "pfkey") != 0) {
		fprintf(stderr, "setkey: -b takes xfrm or pfkey, not '%s'\n", o->backend);
		return -1;
	}
	return 0;
}

static bool wants_monitor(const struct options *o) { return o->monitor > 0; }
static bool wants_single(const struct options *o) { return o->dump || o->flush; }
static bool wants_scripts(const struct options *o) { (void)o; return true; }

/* The modes, first match wins. */
static const struct mode {
	bool (*wants)(const struct options *o);
	int (*run)(const struct options *o);
} modes[] = {
	{ wants_monitor, mode_monitor },
	{ wants_single, mode_single },
	{ wants_scripts, mode_scripts },
};

int main(int argc, char **argv)
{
	struct options o;
	int rc = -1;

	if (parse_args(argc, argv, &o) < 0)
		return EXIT_FAILURE;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (modes[i].wants(&o)) {
			rc = modes[i].run(&o);
			break;
		}
	}
	event_loop_free();
	return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
