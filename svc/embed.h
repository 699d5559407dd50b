/*
 * Files compiled into the binary by tools/embed (schema migrations, demo
 * data), so an installed hearth needs no source tree beside it.
 */
#ifndef HEARTH_EMBED_H
#define HEARTH_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *name;
	const unsigned char *data;
	size_t size;
};

extern const struct embedded_file embed_schema[];
extern const size_t embed_schema_n;
/* PostgreSQL's migrations (schema/pg/). */
extern const struct embedded_file embed_schema_pg[];
extern const size_t embed_schema_pg_n;
extern const struct embedded_file embed_demo[];
extern const size_t embed_demo_n;
/* Lists of common passwords (one a line) for the password rule. */
extern const struct embedded_file embed_passwords[];
extern const size_t embed_passwords_n;
/* The official holiday and make-up day calendar (data/). */
extern const struct embedded_file embed_holidays[];
extern const size_t embed_holidays_n;

#endif
