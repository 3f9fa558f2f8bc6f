/* fuzz_config.c: libFuzzer target: config_parse on any file, read through fmemopen, and what a clean parse promises the rest of forkgroup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define FUZZ_FILE	"fuzz.conf"

static void	 check_errors(const struct config_errors *);
static void	 check_config(const struct config *);

/* Every message names the file, and they come sorted by line. */
static void
check_errors(const struct config_errors *errs)
{
	size_t	i;

	for (i = 0; i < errs->n; i++) {
		if (errs->list[i].msg != NULL)
			FUZZ_CHECK(strncmp(errs->list[i].msg, FUZZ_FILE ":",
			    strlen(FUZZ_FILE ":")) == 0);
		FUZZ_CHECK(errs->list[i].line >= 0);
		if (i > 0)
			FUZZ_CHECK(errs->list[i - 1].line <= errs->list[i].line);
	}
}

/* What main.c and the supervisor take for granted once there is no error. */
static void
check_config(const struct config *cfg)
{
	const struct listener_conf	*l, *m;
	size_t				 i, j;

	FUZZ_CHECK(cfg->nlisteners > 0 && cfg->nlisteners <= FG_LISTENERS_MAX);
	/* Five thirds of the longest drain_timeout, when that alone is set. */
	FUZZ_CHECK(cfg->stop_timeout_ms > 0 &&
	    cfg->stop_timeout_ms <= CONFIG_TIMEOUT_MAX_MS * 5 / 3);
	FUZZ_CHECK(cfg->drain_timeout_ms >= 0 &&
	    cfg->drain_timeout_ms < cfg->stop_timeout_ms);
	FUZZ_CHECK(cfg->group == NULL || cfg->user != NULL);
	for (i = 0; i < cfg->nlisteners; i++) {
		l = &cfg->listeners[i];
		FUZZ_CHECK(l->name != NULL && *l->name != '\0' &&
		    strlen(l->name) <= FG_NAME_MAX);
		FUZZ_CHECK(l->addr.ss.ss_family == AF_INET ||
		    l->addr.ss.ss_family == AF_INET6);
		FUZZ_CHECK(memchr(l->addr_text, '\0',
		    sizeof(l->addr_text)) != NULL);
		FUZZ_CHECK(l->max_header_size >= CONFIG_MAX_HEADER_SIZE_MIN &&
		    l->max_header_size <= CONFIG_MAX_HEADER_SIZE_MAX);
		FUZZ_CHECK(l->max_body_size >= 0 &&
		    l->max_body_size <= CONFIG_MAX_BODY_SIZE_MAX);
		FUZZ_CHECK(l->exit_after_ms >= -1 &&
		    l->exit_after_ms <= CONFIG_EXIT_AFTER_MAX_MS);
		for (j = 0; j < i; j++) {
			m = &cfg->listeners[j];
			FUZZ_CHECK(strcmp(l->name, m->name) != 0);
			FUZZ_CHECK(!address_equal(&l->addr, &m->addr));
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config		 cfg;
	struct config_errors	 errs;
	FILE			*fp;

	/* fmemopen refuses an empty buffer; /dev/null is the empty file. */
	if (size == 0)
		fp = fopen("/dev/null", "r");
	else
		fp = fmemopen((void *)data, size, "r");
	if (fp == NULL)
		abort();
	if (config_parse(fp, FUZZ_FILE, &cfg, &errs) == 0)
		check_config(&cfg);
	else
		check_errors(&errs);
	fclose(fp);
	config_free(&cfg);
	config_errors_free(&errs);
	return 0;
}
