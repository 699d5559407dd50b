/*
 * One log line per event, key=value, to standard error (journald adds the
 * time). Safe from any thread. Every layer may include this header and
 * call log_msg; the store and the HTTP server also take a log_fn (their
 * settings' log, http_listen) so a test can hand them its own.
 */
#ifndef HEARTH_LOG_H
#define HEARTH_LOG_H

enum log_level {
	LOG_ERROR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG
};

/* A logger handed to lower layers. */
typedef void (*log_fn)(enum log_level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

int log_level_parse(const char *, enum log_level *);
void log_set_level(enum log_level);
int log_enabled(enum log_level);
/* Formats "level=L " followed by the message. */
void log_msg(enum log_level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Like log_msg with " errno=… err=\"…\"" appended. */
void log_errno(enum log_level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
