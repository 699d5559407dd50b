/*
 * Loads TZif files from the zoneinfo directory ($TZDIR or
 * /usr/share/zoneinfo) for names that pass tz_name_valid, and caches them
 * for the life of the process.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "service.h"

#define TZDB_MAX_FILE (256 * 1024)

struct tzdb_entry {
	struct tz *zone; /* only zones that exist: misses are not cached, so
			  * hostile names cannot grow the list */
	char *name;
	struct tzdb_entry *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct tzdb_entry *entries;

static struct tz *
load(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	unsigned char *buf;
	struct stat sb;
	struct tz *z = NULL;
	ssize_t got;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > TZDB_MAX_FILE ||
	    (buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	got = read(fd, buf, (size_t)sb.st_size);
	close(fd);
	if (got == sb.st_size)
		z = tz_parse(name, buf, (size_t)got);
	free(buf);
	return z;
}

const struct tz *
tzdb_get(const char *name)
{
	struct tzdb_entry *e;
	const struct tz *z;

	if (!tz_name_valid(name))
		return NULL;
	pthread_mutex_lock(&lock);
	for (e = entries; e != NULL; e = e->next)
		if (strcmp(e->name, name) == 0)
			break;
	if (e == NULL && (e = calloc(1, sizeof(*e))) != NULL) {
		if ((e->name = strdup(name)) == NULL ||
		    (e->zone = load(name)) == NULL) {
			free(e->name);
			free(e);
			e = NULL;
		} else {
			e->next = entries;
			entries = e;
		}
	}
	z = e ? e->zone : NULL;
	pthread_mutex_unlock(&lock);
	return z;
}

const struct tz *
tzdb_default(void)
{
	return tzdb_get("Asia/Shanghai");
}

void
tzdb_free(void)
{
	struct tzdb_entry *e, *next;

	pthread_mutex_lock(&lock);
	for (e = entries; e != NULL; e = next) {
		next = e->next;
		tz_free(e->zone);
		free(e->name);
		free(e);
	}
	entries = NULL;
	pthread_mutex_unlock(&lock);
}

time_t
tzdb_day_start(int64_t day)
{
	const struct tz *z = tzdb_default();

	return z ? tz_local_to_utc(z, day * 86400) : (time_t)(day * 86400);
}

const struct tz *
tzdb_zone(const char *name)
{
	const struct tz *z = name && *name ? tzdb_get(name) : NULL;

	return z ? z : tzdb_default();
}

json_t *
tzdb_time_json(time_t t)
{
	char buf[TIME_RFC3339_MAX];

	tz_format_rfc3339(tzdb_default(), t, buf);
	return json_string(buf);
}

json_t *
tzdb_time_json_or_null(time_t t)
{
	return t ? tzdb_time_json(t) : json_null();
}
