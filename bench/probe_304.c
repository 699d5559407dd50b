/*
 * What the installed libmicrohttpd sends for a 304 built each way
 * (issue 15, item 1; docs/architecture.md, "Feeds"). Usage:
 *   build/bench/probe_304 MODE PORT
 * serves every request with a 304 made as MODE says (0-10, below) on
 * 127.0.0.1:PORT until killed; read its bytes with a raw socket and try
 * clients against it (curl twice on one connection, node fetch, wrk).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char body[1000];
static int mode;

static ssize_t
crc(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	(void)pos;
	(void)buf;
	(void)max;
	return MHD_CONTENT_READER_END_OF_STREAM;
}

static enum MHD_Result
h(void *cls, struct MHD_Connection *c, const char *url, const char *m,
    const char *v, const char *ud, size_t *uds, void **pp)
{
	struct MHD_Response *r = NULL;
	enum MHD_Result ret;
	(void)cls;
	(void)url;
	(void)m;
	(void)v;
	(void)ud;
	(void)uds;
	if (*pp == NULL) {
		*pp = c;
		return MHD_YES;
	}
	switch (mode) {
	case 0: /* the 200's response object queued as 304 */
		r = MHD_create_response_from_buffer(sizeof body, body,
		    MHD_RESPMEM_PERSISTENT);
		break;
	case 1: /* empty buffer */
		r = MHD_create_response_from_buffer(0, "",
		    MHD_RESPMEM_PERSISTENT);
		break;
	case 2: /* empty + INSANITY */
		r = MHD_create_response_from_buffer(0, "",
		    MHD_RESPMEM_PERSISTENT);
		MHD_set_response_options(r,
		    MHD_RF_INSANITY_HEADER_CONTENT_LENGTH, MHD_RO_END);
		break;
	case 3: /* unknown size */
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024,
		    crc, NULL, NULL);
		break;
	case 4: /* unknown size + 1.0 compatible strict */
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024,
		    crc, NULL, NULL);
		MHD_set_response_options(r, MHD_RF_HTTP_1_0_COMPATIBLE_STRICT,
		    MHD_RO_END);
		break;
	case 5: /* unknown size + HTTP/1.0 server */
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024,
		    crc, NULL, NULL);
		MHD_set_response_options(r, MHD_RF_HTTP_1_0_SERVER, MHD_RO_END);
		break;
	case 6: /* empty + HTTP/1.0 server */
		r = MHD_create_response_from_buffer(0, "",
		    MHD_RESPMEM_PERSISTENT);
		MHD_set_response_options(r, MHD_RF_HTTP_1_0_SERVER, MHD_RO_END);
		break;
	case 7: /* 200's object + INSANITY + own Content-Length header */
		r = MHD_create_response_from_buffer(sizeof body, body,
		    MHD_RESPMEM_PERSISTENT);
		MHD_set_response_options(r,
		    MHD_RF_INSANITY_HEADER_CONTENT_LENGTH, MHD_RO_END);
		MHD_add_response_header(r, "Content-Length", "1000");
		break;
	case 8: /* empty + INSANITY + the 200's Content-Length by hand */
		r = MHD_create_response_from_buffer(0, "",
		    MHD_RESPMEM_PERSISTENT);
		MHD_set_response_options(r,
		    MHD_RF_INSANITY_HEADER_CONTENT_LENGTH, MHD_RO_END);
		MHD_add_response_header(r, "Content-Length", "1000");
		break;
	case 9: /* unknown size + own "Transfer-Encoding: identity" */
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024,
		    crc, NULL, NULL);
		MHD_add_response_header(r, "Transfer-Encoding", "identity");
		break;
	case 10: /* unknown size + Connection: keep-alive header */
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024,
		    crc, NULL, NULL);
		MHD_set_response_options(r,
		    MHD_RF_HTTP_1_0_SERVER | MHD_RF_SEND_KEEP_ALIVE_HEADER,
		    MHD_RO_END);
		break;
	}
	MHD_add_response_header(r, "ETag", "\"x\"");
	ret = MHD_queue_response(c, 304, r);
	MHD_destroy_response(r);
	return ret;
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	struct sockaddr_in sa;

	if (argc != 3)
		return 2;
	mode = atoi(argv[1]);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(argv[2]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(body, 'a', sizeof body);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL,
	    (uint16_t)atoi(argv[2]), NULL, NULL, h, NULL, MHD_OPTION_SOCK_ADDR,
	    &sa, MHD_OPTION_END);
	if (d == NULL)
		return 1;
	pause();
	return 0;
}
