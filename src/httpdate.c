/* httpdate.c: HTTP dates (RFC 9110): IMF-fixdate out, and the three historic forms in. */
#include <string.h>
#include <time.h>

#include "forkgroup.h"

static const char *const days[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const long_days[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};
static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

static bool	 literal(const char **, const char *);
static bool	 one_of(const char **, const char *const *, int, int *);
static bool	 digits(const char **, int, int *);
static bool	 clock_time(const char **, struct tm *);
static bool	 imf_fixdate(const char *, struct tm *);
static bool	 rfc850_date(const char *, struct tm *);
static bool	 asctime_date(const char *, struct tm *);

/* "Sun, 06 Nov 1994 08:49:37 GMT" into buf (at least 30 bytes); -1 if it does not fit. */
int
httpdate_format(time_t t, char *buf, size_t size)
{
	struct tm	tm;
	int		n;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999)
		return -1;
	n = snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static bool
literal(const char **p, const char *s)
{
	size_t	len = strlen(s);

	if (strncmp(*p, s, len) != 0)
		return false;
	*p += len;
	return true;
}

/* One of n names, case-sensitive as RFC 9110 requires; *i is its index. */
static bool
one_of(const char **p, const char *const *names, int n, int *i)
{
	for (*i = 0; *i < n; (*i)++)
		if (literal(p, names[*i]))
			return true;
	return false;
}

/* Exactly n digits. */
static bool
digits(const char **p, int n, int *value)
{
	int	i;

	*value = 0;
	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		*value = *value * 10 + (*p)[i] - '0';
	}
	*p += n;
	return true;
}

/* "08:49:37" */
static bool
clock_time(const char **p, struct tm *tm)
{
	return digits(p, 2, &tm->tm_hour) && literal(p, ":") &&
	    digits(p, 2, &tm->tm_min) && literal(p, ":") &&
	    digits(p, 2, &tm->tm_sec);
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" */
static bool
imf_fixdate(const char *p, struct tm *tm)
{
	int	day;

	if (!one_of(&p, days, 7, &day) || !literal(&p, ", ") ||
	    !digits(&p, 2, &tm->tm_mday) || !literal(&p, " ") ||
	    !one_of(&p, months, 12, &tm->tm_mon) || !literal(&p, " ") ||
	    !digits(&p, 4, &tm->tm_year) || !literal(&p, " ") ||
	    !clock_time(&p, tm) || !literal(&p, " GMT"))
		return false;
	tm->tm_year -= 1900;
	return *p == '\0';
}

/* "Sunday, 06-Nov-94 08:49:37 GMT"; 70-99 are 19xx, 00-69 are 20xx. */
static bool
rfc850_date(const char *p, struct tm *tm)
{
	int	day;

	if (!one_of(&p, long_days, 7, &day) || !literal(&p, ", ") ||
	    !digits(&p, 2, &tm->tm_mday) || !literal(&p, "-") ||
	    !one_of(&p, months, 12, &tm->tm_mon) || !literal(&p, "-") ||
	    !digits(&p, 2, &tm->tm_year) || !literal(&p, " ") ||
	    !clock_time(&p, tm) || !literal(&p, " GMT"))
		return false;
	if (tm->tm_year < 70)
		tm->tm_year += 100;
	return *p == '\0';
}

/* "Sun Nov  6 08:49:37 1994" */
static bool
asctime_date(const char *p, struct tm *tm)
{
	int	day;

	if (!one_of(&p, days, 7, &day) || !literal(&p, " ") ||
	    !one_of(&p, months, 12, &tm->tm_mon) || !literal(&p, " "))
		return false;
	if (!(literal(&p, " ") ? digits(&p, 1, &tm->tm_mday) :
	    digits(&p, 2, &tm->tm_mday)))
		return false;
	if (!literal(&p, " ") || !clock_time(&p, tm) || !literal(&p, " ") ||
	    !digits(&p, 4, &tm->tm_year))
		return false;
	tm->tm_year -= 1900;
	return *p == '\0';
}

/*
 * An HTTP date in any of the three forms RFC 9110 asks recipients to
 * accept.  The day name is not checked against the date.  Returns -1 if s
 * is not a valid date (a 31 April included).
 */
int
httpdate_parse(const char *s, time_t *t)
{
	struct tm	tm;
	time_t		when;
	int		mday;

	memset(&tm, 0, sizeof(tm));
	if (!imf_fixdate(s, &tm) && !rfc850_date(s, &tm) &&
	    !asctime_date(s, &tm))
		return -1;
	if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	/* A leap second counts as the one before it. */
	if (tm.tm_sec == 60)
		tm.tm_sec = 59;
	/* timegm rolls a 31 April over into May: that is how it shows. */
	mday = tm.tm_mday;
	if ((when = timegm(&tm)) == (time_t)-1 || tm.tm_mday != mday)
		return -1;
	*t = when;
	return 0;
}
