/* options: racoon's command line. */
#ifndef RACOON_DAEMON_OPTIONS_H
#define RACOON_DAEMON_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct options {
	int family;              /* -4 / -6: AF_INET / AF_INET6, default AF_UNSPEC */
	bool backupsa;           /* -B */
	bool print_config;       /* -C */
	int debug;               /* -d count */
	bool foreground;         /* -F */
	const char *config_file; /* -f */
	bool location;           /* -L */
	const char *log_file;    /* -l */
	uint16_t natt_port;      /* -P */
	uint16_t isakmp_port;    /* -p */
	bool check_only;         /* -t */
	int verbose;             /* -v count */
	bool no_kernel;          /* -Z */
	bool ports_given;        /* -p or -P was on the command line */
};

enum options_result {
	OPTIONS_RUN = 0,   /* go on */
	OPTIONS_EXIT_OK,   /* -h or -V printed: exit 0 */
	OPTIONS_EXIT_FAIL, /* bad usage printed: exit non-zero */
};

#define RACOON_DEFAULT_CONFIG SYSCONFDIR "/racoon/racoon.conf"

enum options_result options_parse(int argc, char **argv, struct options *o, FILE *out,
				  FILE *err);
void options_usage(FILE *f);

#endif
