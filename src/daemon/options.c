/* options: parse racoon's command line as racoon(8) describes it. */
#include "daemon/options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void options_usage(FILE *f)
{
	fprintf(f,
		"usage: racoon [-46BCdFLtVvZh] [-f configfile] [-l logfile]\n"
		"              [-P isakmp-natt-port] [-p isakmp-port]\n"
		"  -4, -6   listen on IPv4 / IPv6 addresses only (default: both)\n"
		"  -B       install the SAs saved in the `path backupsa' file at start\n"
		"  -C       print the parsed configuration and exit\n"
		"  -d       more debug output (repeat for more)\n"
		"  -F       stay in the foreground; also copy log lines to stdout\n"
		"  -f FILE  configuration file (default %s)\n"
		"  -L       prefix every log line with file:line:function\n"
		"  -l FILE  log to FILE instead of the journal or syslog\n"
		"  -P PORT  NAT-T port (default 4500)\n"
		"  -p PORT  ISAKMP port (default 500)\n"
		"  -t       check the configuration and exit (0 valid, 1 invalid)\n"
		"  -V       print the version and build options and exit\n"
		"  -v       more verbose packet dumps\n"
		"  -Z       negotiate but never install SAs or policies in the kernel\n"
		"  -h       this help\n",
		RACOON_DEFAULT_CONFIG);
}

static bool parse_port(const char *s, uint16_t *port)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end != '\0' || s[0] == '-' || s[0] == '+' || v == 0 ||
	    v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

enum options_result options_parse(int argc, char **argv, struct options *o, FILE *out,
				  FILE *err)
{
	memset(o, 0, sizeof(*o));
	o->family = AF_UNSPEC;
	o->config_file = RACOON_DEFAULT_CONFIG;
	o->isakmp_port = 500;
	o->natt_port = 4500;
	optind = 0; /* full re-initialisation, so tests can parse many times */
	opterr = 0;
	int c;
	while ((c = getopt(argc, argv, ":46BCdFf:Ll:P:p:tVvZh")) != -1) {
		switch (c) {
		case '4':
			o->family = AF_INET;
			break;
		case '6':
			o->family = AF_INET6;
			break;
		case 'B':
			o->backupsa = true;
			break;
		case 'C':
			o->print_config = true;
			break;
		case 'd':
			o->debug++;
			break;
		case 'F':
			o->foreground = true;
			break;
		case 'f':
			o->config_file = optarg;
			break;
		case 'L':
			o->location = true;
			break;
		case 'l':
			o->log_file = optarg;
			break;
		case 'P':
		case 'p':
			if (!parse_port(optarg, c == 'P' ? &o->natt_port : &o->isakmp_port)) {
				fprintf(err, "racoon: -%c: invalid port \"%s\" (1-65535)\n", c,
					optarg);
				options_usage(err);
				return OPTIONS_EXIT_FAIL;
			}
			o->ports_given = true;
			break;
		case 't':
			o->check_only = true;
			break;
		case 'V':
			fprintf(out, "racoon %s\nbuild options: %s\n", PACKAGE_VERSION,
				RACOON_BUILD_OPTIONS);
			return OPTIONS_EXIT_OK;
		case 'v':
			o->verbose++;
			break;
		case 'Z':
			o->no_kernel = true;
			break;
		case 'h':
			options_usage(out);
			return OPTIONS_EXIT_OK;
		case ':':
			fprintf(err, "racoon: option -%c needs an argument\n", optopt);
			options_usage(err);
			return OPTIONS_EXIT_FAIL;
		default:
			fprintf(err, "racoon: unknown option -%c\n", optopt);
			options_usage(err);
			return OPTIONS_EXIT_FAIL;
		}
	}
	if (optind < argc) {
		fprintf(err, "racoon: unexpected argument \"%s\"\n", argv[optind]);
		options_usage(err);
		return OPTIONS_EXIT_FAIL;
	}
	if (o->isakmp_port == o->natt_port) {
		fprintf(err, "racoon: the ISAKMP and NAT-T ports must differ (both %u)\n",
			o->isakmp_port);
		return OPTIONS_EXIT_FAIL;
	}
	return OPTIONS_RUN;
}
