/* privdrop.c: run as the configured user: checked before binding, done after binding and before forking. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "forkgroup.h"

/*
 * Resolve user and group now, so a typo fails before anything is bound.
 * Returns -1 (reason logged) on a configuration error.
 */
int
privdrop_check(const struct config *cfg, struct account *acct)
{
	struct passwd	*pw;
	struct group	*gr;

	memset(acct, 0, sizeof(*acct));
	if (cfg->user == NULL)
		return 0;
	if (geteuid() != 0) {
		log_warnx("%s:%d: user = %s needs forkgroup to start as root "
		    "(running as uid %ld)", cfg->path, cfg->user_line,
		    cfg->user, (long)geteuid());
		return -1;
	}
	errno = 0;
	if ((pw = getpwnam(cfg->user)) == NULL) {
		log_warnx("%s:%d: user = %s: %s", cfg->path, cfg->user_line,
		    cfg->user, errno != 0 ? strerror(errno) : "no such user");
		return -1;
	}
	acct->uid = pw->pw_uid;
	acct->gid = pw->pw_gid;
	acct->set = true;
	if (cfg->group == NULL)
		return 0;
	errno = 0;
	if ((gr = getgrnam(cfg->group)) == NULL) {
		log_warnx("%s:%d: group = %s: %s", cfg->path, cfg->group_line,
		    cfg->group, errno != 0 ? strerror(errno) : "no such group");
		return -1;
	}
	acct->gid = gr->gr_gid;
	acct->explicit_group = true;
	return 0;
}

/* Returns -1 (reason logged) if any step fails: never run on as root by mistake. */
int
privdrop_apply(const struct config *cfg, const struct account *acct)
{
	if (!acct->set)
		return 0;
	/* An explicit group is the only one; else the user's own groups. */
	if (acct->explicit_group ? setgroups(1, &acct->gid) == -1 :
	    initgroups(cfg->user, acct->gid) == -1) {
		log_warn("setgroups for %s", cfg->user);
		return -1;
	}
	if (setgid(acct->gid) == -1) {
		log_warn("setgid %ld", (long)acct->gid);
		return -1;
	}
	if (setuid(acct->uid) == -1) {
		log_warn("setuid %ld", (long)acct->uid);
		return -1;
	}
	if (acct->uid != 0 && setuid(0) != -1) {
		log_warnx("could regain root after dropping to %s", cfg->user);
		return -1;
	}
	log_info("running as user %s (uid %ld, gid %ld)", cfg->user,
	    (long)acct->uid, (long)acct->gid);
	return 0;
}
