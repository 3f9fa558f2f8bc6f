/* range.c: a request's single byte range ("Range: bytes=0-99"), checked against the file's size. */
#include <string.h>
#include <strings.h>

#include "forkgroup.h"

static const char *skip_blanks(const char *);
static const char *number(const char *, int64_t *);

static const char *
skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Digits to *n, saturating at INT64_MAX; NULL if there are none. */
static const char *
number(const char *s, int64_t *n)
{
	int64_t	digit;

	if (*s < '0' || *s > '9')
		return NULL;
	for (*n = 0; *s >= '0' && *s <= '9'; s++) {
		digit = *s - '0';
		*n = *n > (INT64_MAX - digit) / 10 ? INT64_MAX : *n * 10 + digit;
	}
	return s;
}

/*
 * The Range header value against a representation of size bytes.
 * RANGE_OK fills r with the first and last byte to send.  RANGE_NONE means
 * the header is to be ignored and the whole file sent: bad syntax, another
 * unit, a last before a first, or several ranges (this server sends no
 * multipart answers, which RFC 9110 allows).  RANGE_UNSATISFIABLE (416):
 * the range starts past the end, or asks for a suffix of 0 bytes.
 */
enum range_result
range_parse(const char *value, int64_t size, struct range *r)
{
	const char	*s;
	int64_t		 first, last;

	if (strncasecmp(value, "bytes=", 6) != 0 || strchr(value, ',') != NULL)
		return RANGE_NONE;
	s = skip_blanks(value + 6);
	if (*s == '-') {
		if ((s = number(s + 1, &last)) == NULL ||
		    *skip_blanks(s) != '\0')
			return RANGE_NONE;
		if (last == 0 || size == 0)
			return RANGE_UNSATISFIABLE;
		r->first = last < size ? size - last : 0;
		r->last = size - 1;
		return RANGE_OK;
	}
	if ((s = number(s, &first)) == NULL || *s != '-')
		return RANGE_NONE;
	last = INT64_MAX;
	if (s[1] >= '0' && s[1] <= '9')
		s = number(s + 1, &last);
	else
		s++;
	if (*skip_blanks(s) != '\0' || last < first)
		return RANGE_NONE;
	if (first >= size)
		return RANGE_UNSATISFIABLE;
	r->first = first;
	r->last = last < size ? last : size - 1;
	return RANGE_OK;
}
