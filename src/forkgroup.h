/* forkgroup.h: shared types and, grouped by file, every function that crosses a file. */
#ifndef FORKGROUP_H
#define FORKGROUP_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses of the parent (see forkgroup(8)); the sysexits values are spelled out. */
#define FG_EXIT_STOPPED		0	/* stopped on request */
#define FG_EXIT_CHILD		1	/* a child ended on its own first */
#define FG_EXIT_USAGE		64	/* EX_USAGE */
#define FG_EXIT_OSERR		71	/* EX_OSERR: could not bind or fork at start */
#define FG_EXIT_CONFIG		78	/* EX_CONFIG */

#define FG_NAME_MAX		32	/* longest listener name */
#define FG_WORKERS_MAX		64	/* workers of one listener */
#define FG_CHILDREN_MAX		1024	/* children of one generation */
#define FG_WORKER_NAME_MAX	(FG_NAME_MAX + 4)	/* "NAME#64" and NUL */
#define FG_ADDRSTRLEN		64	/* "[v6]:port" with room to spare */
#define FG_LISTENERS_MAX	512
#define FG_LISTEN_BACKLOG	511

/* Bytes on a child's lifeline: child to parent, then parent to child. */
#define LIFELINE_READY		'R'	/* its event loop serves */
#define LIFELINE_HANDOVER	'H'	/* drain: the socket serves on elsewhere */

/* Built with AddressSanitizer: gcc says so one way, clang another. */
#if defined(__SANITIZE_ADDRESS__)
#define FG_ASAN			1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FG_ASAN			1
#endif
#endif

/* address.c */
struct address {
	struct sockaddr_storage	ss;
	socklen_t		len;
};
int	 address_parse(const char *, struct address *, const char **);
void	 address_format(const struct address *, char *, size_t);
bool	 address_equal(const struct address *, const struct address *);
bool	 address_is_loopback(const struct sockaddr *);
bool	 address_is_wildcard(const struct address *);
bool	 address_overlap(const struct address *, const struct address *);

/* duration.c */
int	 duration_parse(const char *, int64_t, int64_t *, const char **);

/* size.c */
int	 size_parse(const char *, int64_t, int64_t, int64_t *, const char **);
#define SIZE_TEXT_MAX	21	/* 2^64 - 1 has 20 digits */
char	*size_text(uint64_t, char [SIZE_TEXT_MAX]);

/* clock.c */
struct timeval;
int64_t	 clock_ms(void);
int64_t	 clock_us(void);
struct timeval clock_timeval(int64_t);

/* config.c */
struct listener_conf {
	char		*name;
	struct address	 addr;
	char		 addr_text[FG_ADDRSTRLEN];
	bool		 shutdown;	/* POST /shutdown ends this child */
	int64_t		 exit_after_ms;	/* fault injection; -1: never */
	char		*root;		/* static files; NULL: none */
	int		 root_line;
	char		*access_log;	/* "stderr", an absolute path; NULL: off */
	int64_t		 read_timeout_ms;
	int64_t		 idle_timeout_ms;
	int64_t		 max_header_size;
	int64_t		 max_body_size;
	unsigned	 workers;	/* children sharing its socket */
	int		 line;		/* where its section starts */
};
struct config {
	char			*path;
	int64_t			 stop_timeout_ms;
	int64_t			 drain_timeout_ms;
	int64_t			 reload_timeout_ms;
	char			*user;
	char			*group;
	int			 user_line;
	int			 group_line;
	struct listener_conf	*listeners;
	size_t			 nlisteners;
	size_t			 nchildren;	/* every listener's workers */
};
struct config_error {
	int	 line;		/* 0: the file as a whole */
	size_t	 seq;		/* keeps equal lines in the order found */
	char	*msg;		/* "file:line: message"; NULL if out of memory */
};
struct config_errors {
	struct config_error	*list;	/* sorted by line */
	size_t			 n;
};
#define CONFIG_TIMEOUT_MAX_MS		(60 * 60 * 1000)
#define CONFIG_EXIT_AFTER_MAX_MS	(7 * 24 * 60 * 60 * 1000LL)
#define CONFIG_MAX_HEADER_SIZE_MIN	1024
#define CONFIG_MAX_HEADER_SIZE_MAX	(1024 * 1024)
#define CONFIG_MAX_BODY_SIZE_MAX	(1024 * 1024 * 1024)
enum config_type {
	CONFIG_DURATION,	/* int64_t milliseconds */
	CONFIG_SIZE,		/* int64_t bytes */
	CONFIG_COUNT,		/* unsigned */
	CONFIG_BOOL,		/* bool */
	CONFIG_ADDRESS,		/* struct address */
	CONFIG_ACCOUNT,		/* char *: a user or group name */
	CONFIG_PATH,		/* char *: an absolute path */
	CONFIG_ACCESS_LOG	/* char *: "stderr", a path; NULL: off */
};
/* One row of config_keys: a key the file may set. */
struct config_key {
	const char		*name;
	bool			 listener;	/* else in [forkgroup] */
	enum config_type	 type;
	size_t			 offset;	/* of its struct config or
						   listener_conf field */
	const char		*def;		/* as a file spells it; NULL: unset */
	int64_t			 min;		/* for numbers */
	int64_t			 max;
	const char		*bounds;	/* "at most 60m", for messages */
};
extern const struct config_key	config_keys[];
extern const size_t		config_nkeys;
size_t	 config_load(const char *, struct config *, struct config_errors *);
size_t	 config_parse(FILE *, const char *, struct config *,
	    struct config_errors *);
size_t	 config_reload_check(const struct config *, const struct config *,
	    struct config_errors *);
void	 config_worker_name(const struct listener_conf *, unsigned, char *,
	    size_t);
void	 config_free(struct config *);
void	 config_errors_free(struct config_errors *);

/* group.c */
enum group_state {
	GROUP_STARTING,		/* forked, not every child has said ready */
	GROUP_RUNNING,
	GROUP_STOPPING,		/* SIGTERM sent, waiting up to stop_timeout */
	GROUP_KILLING,		/* SIGKILL sent, reaping */
	GROUP_DONE		/* every child reaped */
};
enum gen_state {
	GEN_STARTING,		/* forked, not every member has said ready */
	GEN_SERVING,
	GEN_RETIRING,		/* replaced by a reload's generation: draining */
	GEN_FAILED		/* its reload failed: draining */
};
/* What the supervisor must do after an event; several may be set. */
#define GROUP_ACT_READY		0x001	/* announce that every child serves */
#define GROUP_ACT_TERM_ALL	0x002	/* close the sockets; give the orders */
#define GROUP_ACT_ARM_DEADLINE	0x004	/* start the stop_timeout timer */
#define GROUP_ACT_KILL_ALL	0x008	/* give the orders (SIGKILL) */
#define GROUP_ACT_EXIT		0x010	/* nothing is left: exit */
#define GROUP_ACT_RELOAD	0x020	/* read the file for reload g->reloads */
#define GROUP_ACT_RELOADED	0x040	/* g->serving is new: retire g->subject */
#define GROUP_ACT_RELOAD_FAILED	0x080	/* drain g->subject (if any), announce */
#define GROUP_ACT_GEN_KILL	0x100	/* g->subject's time is up: the orders */
#define GROUP_ACT_GEN_ENDED	0x200	/* g->subject has no member left: free it */
enum cause_kind {
	CAUSE_NONE,
	CAUSE_SIGNAL,		/* SIGTERM/SIGINT to the parent */
	CAUSE_CHILD		/* a child ended on its own */
};
enum failure_kind {
	FAILURE_NONE,
	FAILURE_SUPERVISOR,	/* the file, a socket, a fork: failure.why */
	FAILURE_CHILD,		/* a member ended before its generation served */
	FAILURE_TIMEOUT		/* reload_timeout */
};
struct generation;
/* A child.  group.c marks the orders; the supervisor gives each one once. */
struct member {
	char			 name[FG_WORKER_NAME_MAX];
	struct generation	*gen;
	pid_t			 pid;
	bool			 ready;
	bool			 ended;
	bool			 drain;		/* to be told to drain */
	bool			 told;		/* and was */
	bool			 kill;		/* to be sent SIGKILL */
	bool			 sent_kill;	/* and was */
	int			 wstatus;
};
struct generation {
	TAILQ_ENTRY(generation)	 entry;
	unsigned		 id;		/* 0: start-up; N: reload N */
	enum gen_state		 state;
	struct member		*members;
	size_t			 n;
	size_t			 nlive;
	size_t			 nready;
	void			*arg;		/* the supervisor's */
};
TAILQ_HEAD(generations, generation);
/* How a child ended, kept beyond its generation. */
struct ending {
	char	 name[FG_WORKER_NAME_MAX];
	pid_t	 pid;
	int	 wstatus;
};
struct forkgroup {
	enum group_state	 state;
	struct generations	 gens;		/* oldest first */
	struct generation	*serving;	/* its members' ends are causes */
	struct generation	*starting;	/* a reload's, until it serves */
	struct generation	*subject;	/* of the last GEN actions */
	size_t			 nlive;		/* in every generation */
	size_t			 stopped;	/* alive when the stop began */
	size_t			 nkilled;	/* of those, by our SIGKILL */
	unsigned		 reloads;	/* the last reload's number */
	bool			 reloading;	/* from SIGHUP until served or failed */
	bool			 reload_queued;	/* a SIGHUP came meanwhile */
	struct {
		enum cause_kind	 kind;
		int		 signo;
		struct ending	 child;
		bool		 during_start;
	}			 cause;
	struct {
		enum failure_kind kind;
		unsigned	 reload;
		struct ending	 child;
		char		 why[256];
	}			 failure;	/* of the last failed reload */
};
void	 group_init(struct forkgroup *);
void	 group_gen_add(struct forkgroup *, struct generation *, unsigned,
	    struct member *, size_t);
void	 group_gen_remove(struct forkgroup *, struct generation *);
struct member *group_find(struct forkgroup *, pid_t);
unsigned group_child_ready(struct forkgroup *, struct member *);
unsigned group_child_ended(struct forkgroup *, struct member *, int);
unsigned group_stop_signal(struct forkgroup *, int);
unsigned group_deadline(struct forkgroup *);
unsigned group_reload_signal(struct forkgroup *);
unsigned group_reload_fail(struct forkgroup *, const char *);
unsigned group_reload_timeout(struct forkgroup *);
unsigned group_gen_deadline(struct forkgroup *, struct generation *);
unsigned group_abandon(struct forkgroup *);
int	 group_exit_status(const struct forkgroup *);
void	 group_describe_status(int, char *, size_t);
void	 group_describe_cause(const struct forkgroup *, char *, size_t);
void	 group_describe_failure(const struct forkgroup *, char *, size_t);
void	 group_summary(const struct forkgroup *, int64_t, char *, size_t);

/* backlog.c */
#define BACKLOG_MAX	(32 * 1024)
struct backlog {
	char		 buf[BACKLOG_MAX];
	size_t		 len;
	size_t		 torn;		/* first bytes: the rest of a line begun */
	unsigned long	 dropped;	/* lines lost, right after the torn rest */
};
void	 backlog_add(struct backlog *, const char *, size_t);
void	 backlog_add_torn(struct backlog *, const char *, size_t);
size_t	 backlog_next(const struct backlog *, size_t, const char **);
void	 backlog_written(struct backlog *, size_t);
void	 backlog_drop_all(struct backlog *);

/* log.c */
#define LOG_LINE_MAX		1024
#define LOG_EXIT_FLUSH_MS	100	/* at exit, for a stuck standard error */
struct event_base;
void	 log_init(const char *);
void	 log_nonblocking(void);
void	 log_attach(struct event_base *);
void	 log_detach(void);
void	 log_flush_exit(void);
extern bool	 log_verbose;
/* A debug line (-v), named after the function it is in; nothing else costs. */
#define log_debug(...) do {						\
	if (log_verbose)						\
		log_debug_in(__func__, __VA_ARGS__);			\
} while (0)
void	 log_debug_in(const char *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* proctitle.c */
int	 proctitle_init(int, char *[]);
void	 proctitle_set(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

/* listener.c */
struct lsock {
	struct address	 addr;
	int		 fd;
	bool		 passed;	/* by systemd, which keeps a copy */
};
struct sockets {
	struct lsock	*list;
	size_t		 n;
};
int	 listener_bind(const struct listener_conf *, char *, size_t);
const struct lsock *listener_find(const struct sockets *,
	    const struct address *);
int	 listener_adopt(struct sockets *, const struct address *, int);
int	 listener_open(struct sockets *, const struct config *, bool, char *,
	    size_t);
size_t	 listener_retain(struct sockets *, const struct config *);
void	 listener_close_all(struct sockets *);

/* activation.c */
int	 activation_take(const struct config *, struct sockets *);

/* notify.c */
void	 notify_init(void);
void	 notify_send(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 notify_attach(struct event_base *);
void	 notify_detach(void);
void	 notify_close(void);

/* privdrop.c */
struct account {
	bool	set;
	bool	explicit_group;
	uid_t	uid;
	gid_t	gid;
};
int	 privdrop_check(const struct config *, struct account *);
int	 privdrop_apply(const struct config *, const struct account *);

/* supervisor.c */
int	 supervisor_block_signals(sigset_t *);
int	 supervisor_run(const struct config *, struct sockets *);

/* selfpipe.c */
int	 selfpipe_open(const int *, size_t);
int	 selfpipe_take(void);
void	 selfpipe_close(void);

/* httpdate.c */
#define HTTPDATE_MAX	32	/* "Sun, 06 Nov 1994 08:49:37 GMT" and NUL */
int	 httpdate_format(time_t, char *, size_t);
int	 httpdate_parse(const char *, time_t *);


/* exchange.c: one request from arrival until its answer is written or its client is gone. */
struct evhttp;
struct evhttp_request;
struct evhttp_connection;
struct evhttp_bound_socket;
struct event_base;
struct event;
enum exchange_state {
	EXCHANGE_ROUTING,	/* a route has it */
	EXCHANGE_WRITING,	/* answered: evhttp writes it */
	EXCHANGE_GONE		/* its client left first; ends once answered */
};
struct exchange {
	TAILQ_ENTRY(exchange)	 entry;
	struct child		*child;
	struct evhttp_request	*req;
	struct event		*timer;		/* a route's own, e.g. /delay */
	struct conn		*conn;		/* NULL once its client is gone */
	int64_t			 delay_ms;
	enum exchange_state	 state;
};
TAILQ_HEAD(exchanges, exchange);
void	 exchange_setup(struct child *, void (*)(struct child *));
struct exchange *exchange_begin(struct evhttp_request *);
void	 exchange_reply(struct exchange *, int);
void	 exchange_client_gone(struct exchange *);
void	 exchange_abandon(struct event_base *, int64_t);
void	 exchange_teardown(void);
unsigned exchange_in_flight(void);
uint64_t exchange_count(void);
int64_t	 exchange_last_ms(void);
const char *exchange_reason(int);
const char *exchange_date(time_t *);

/* child.c */
enum child_state {
	CHILD_SERVING,
	CHILD_DRAINING,		/* not accepting; finishing what it has */
	CHILD_FLUSHING		/* writing last answers, then exit at once */
};
struct child {
	const struct config		*cfg;
	const struct listener_conf	*conf;
	char				 name[FG_WORKER_NAME_MAX];
	unsigned			 worker;
	unsigned			 generation;
	pid_t				 pid;
	struct event_base		*base;
	struct evhttp			*http;
	struct evhttp_bound_socket	*bound;
	int				 lifeline;
	enum child_state		 state;
	int				 exit_status;
	int64_t				 started_ms;
	int64_t				 drain_began_ms;
	bool				 hold_back;	/* see child_drain */
	struct event			*ev_lifeline;
	struct event			*ev_term;
	struct event			*ev_usr1;
	struct event			*ev_drain;
	struct event			*ev_quiet;
	struct event			*ev_exit_after;
	struct event			*ev_accept_pause;
	int64_t				 accept_warned_ms;
	int				 root_fd;	/* -1: no static files */
	struct accesslog		*log;		/* NULL: off */
};
/* What the parent hands a new child. */
struct child_spec {
	const struct config		*cfg;
	const struct listener_conf	*conf;
	unsigned			 worker;	/* 1 to conf->workers */
	unsigned			 generation;
	int				 listen_fd;
	int				 lifeline;
	pid_t				 parent;
	bool				 socket_passed;	/* systemd keeps it */
};
void	 child_main(const struct child_spec *) __attribute__((noreturn));

/* conn.c */
void	 conn_setup(struct child *, void (*)(struct child *));
bool	 conn_may_send(void);
int64_t	 conn_last_accept_ms(void);
int	 conn_begin(struct exchange *);
bool	 conn_closes(const struct exchange *);
void	 conn_next(struct exchange *);
void	 conn_end(struct exchange *);
void	 conn_teardown(void);

/* http.c */
void	 http_setup(struct child *, void (*)(struct child *));

/* evmem.c */
void	*evmem_malloc(size_t);
void	*evmem_realloc(void *, size_t);
void	 evmem_free(void *);
size_t	 evmem_cached(size_t *);
void	 evmem_release(void);

/* replyflush.c */
struct bufferevent;
void	 replyflush(struct evhttp_connection *);
void	 replyflush_write(struct bufferevent *);

/* urlpath.c */
#define URLPATH_MAX	4096
struct urlpath {
	char	 rel[URLPATH_MAX];	/* "a/b", or "." for the root */
	bool	 dir;			/* ended with "/" */
};
int	 urlpath_parse(const char *, size_t, struct urlpath *);
int	 urlpath_dir_location(const struct urlpath *, char *, size_t);

/* mime.c */
const char *mime_type(const char *);

/* range.c */
enum range_result {
	RANGE_NONE,		/* ignore the header: send the whole file */
	RANGE_OK,
	RANGE_UNSATISFIABLE	/* 416 */
};
struct range {
	int64_t	 first;
	int64_t	 last;		/* inclusive */
};
enum range_result range_parse(const char *, int64_t, struct range *);

/* etag.c */
#define ETAG_MAX	64
int	 etag_format(char *, size_t, int64_t, int64_t, long);
bool	 etag_match(const char *, const char *, bool);

/* clf.c */
struct evbuffer;
struct tm;
struct clf_entry {
	const char	*host;
	const struct tm	*tm;		/* local time, with tm_gmtoff */
	const char	*method;
	const char	*uri;
	int		 major;
	int		 minor;
	int		 status;
	int64_t		 bytes;		/* of the body; 0 is logged as "-" */
	const char	*referer;
	const char	*user_agent;
};
int	 clf_format(struct evbuffer *, const struct clf_entry *);

/* resolve.c */
int	 resolve_probe(int);
int	 resolve_open(int, const char *, int);
int	 resolve_openat2(int, const char *, int);
int	 resolve_walk(int, const char *, int);

/* static.c */
int	 static_check_roots(const struct config *);
int	 static_open_root(const char *);
int	 static_serve(struct exchange *, const struct urlpath *);

/* accesslog.c */
struct accesslog;
struct accesslog *accesslog_open(struct event_base *, const char *);
void	 accesslog_request(struct accesslog *, struct evhttp_request *, int,
	    size_t, time_t);
void	 accesslog_reopen(struct accesslog *);
void	 accesslog_close(struct accesslog *);

/* framing.c */
enum framing_event {
	FRAMING_MORE,		/* every byte given was read */
	FRAMING_HEAD,		/* a head is whole and valid: see head; without
				   a body, the request ends here */
	FRAMING_END,		/* the body of the request is whole too */
	FRAMING_EDIT,		/* set edit_len bytes from edit_at to edit_byte */
	FRAMING_REJECT		/* refuse it with status and reason; read no more */
};
#define FRAMING_METHOD_MAX	16
struct framing_head {
	char		 method[FRAMING_METHOD_MAX + 1];	/* "" if longer */
	int		 minor;		/* HTTP/1.minor: 0 or 1 */
	bool		 chunked;
	uint64_t	 length;	/* Content-Length; 0 without one */
};
struct framing {
	size_t			 max_head;	/* request line, fields, trailers */
	uint64_t		 max_body;
	uint64_t		 at;		/* stream offset of the next byte */
	uint64_t		 requests;	/* begun so far */
	int			 state;
	struct framing_head	 head;
	int			 status;	/* FRAMING_REJECT */
	const char		*reason;
	uint64_t		 edit_at;	/* FRAMING_EDIT */
	size_t			 edit_len;
	char			 edit_byte;
	/* The request being read. */
	size_t			 head_bytes;
	size_t			 n;		/* bytes of the current part */
	int			 major;
	char			 name[20];	/* a field name cut between reads */
	int			 field;		/* which framing field */
	int			 sub;		/* where in its value */
	unsigned		 digits;
	unsigned		 hosts;
	unsigned		 lengths;
	unsigned		 te_fields;
	unsigned		 te_codings;
	char			 te_token[8];
	size_t			 te_len;
	bool			 te_chunked;
	bool			 te_chunked_last;
	bool			 te_other;
	bool			 te_twice;
	bool			 te_not_last;
	bool			 te_empty;
	bool			 in_trailer;
	bool			 ext_named;
	uint64_t		 left;		/* body or chunk bytes to go */
	uint64_t		 body;		/* chunked: bytes so far */
};
void	 framing_init(struct framing *, size_t, uint64_t);
bool	 framing_idle(const struct framing *);
enum framing_event framing_feed(struct framing *, const char *, size_t,
	    size_t *);

/* query.c */
int	 query_number(const char *, const char *, int64_t, int64_t *);

#endif /* FORKGROUP_H */
