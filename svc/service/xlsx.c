/*
 * Workbooks as bytes. libxlsxwriter (Debian's version has no memory
 * output) writes a file: it is made in TMPDIR, read back and removed
 * within the call, so nothing is left on disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "service.h"

int
svc_xlsx_bytes(int (*write)(const char *path, const void *arg), const void *arg,
    char **out, size_t *sz)
{
	const char *dir = getenv("TMPDIR");
	char path[256], *buf = NULL;
	FILE *in = NULL;
	long n = 0;
	int fd, ok;

	*out = NULL;
	*sz = 0;
	snprintf(path, sizeof(path), "%s/hearth-xlsx-XXXXXX",
	    dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		log_errno(LOG_ERROR, "msg=\"xlsx: no temporary file\"");
		return 0;
	}
	close(fd);
	ok = write(path, arg) && (in = fopen(path, "rb")) != NULL &&
	    fseek(in, 0, SEEK_END) == 0 && (n = ftell(in)) > 0 &&
	    fseek(in, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) != NULL &&
	    fread(buf, 1, (size_t)n, in) == (size_t)n;
	if (in != NULL)
		fclose(in);
	unlink(path);
	if (!ok) {
		free(buf);
		log_msg(LOG_ERROR,
		    "msg=\"xlsx: the workbook was not written\"");
		return 0;
	}
	*out = buf;
	*sz = (size_t)n;
	return 1;
}
