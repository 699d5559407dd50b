/*
 * Operations endpoints: health, Prometheus metrics, and the audit log a
 * coordinator reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "../service/feedcache.h"

int
api_healthz(struct http_req *r)
{
	int64_t n;

	if (store_user_count(api_store(r), &n) < 0)
		return http_reply_json(r, 503,
		    json_pack("{s:s}", "status", "database unavailable"));
	return http_reply_json(r, 200,
	    json_pack("{s:s, s:i}", "status", "ok", "schema",
	        store_schema_version()));
}

int
api_metrics(struct http_req *r)
{
	struct http_stats s;
	int64_t counts[OUTBOX_STATUS__MAX];
	struct strbuf b = {0};
	char *text;
	size_t len;
	int i, rc;

	http_stats_get(&s);
	strbuf_printf(&b,
	    "# HELP hearth_http_requests_total HTTP requests answered.\n"
	    "# TYPE hearth_http_requests_total counter\n");
	for (i = 1; i < 6; i++)
		strbuf_printf(&b,
		    "hearth_http_requests_total{class=\"%dxx\"} %llu\n", i,
		    (unsigned long long)s.by_class[i]);
	strbuf_printf(&b,
	    "# HELP hearth_http_response_bytes_total Body bytes sent.\n"
	    "# TYPE hearth_http_response_bytes_total counter\n"
	    "hearth_http_response_bytes_total %llu\n"
	    "# HELP hearth_uptime_seconds Seconds since the server started.\n"
	    "# TYPE hearth_uptime_seconds gauge\n"
	    "hearth_uptime_seconds %lld\n"
	    "# HELP hearth_store_revision Committed write transactions.\n"
	    "# TYPE hearth_store_revision counter\n"
	    "hearth_store_revision %lld\n",
	    (unsigned long long)s.bytes_out,
	    (long long)(time(NULL) - s.started), (long long)store_revision());
	{
		/* The feed caches' sizes (both bounded; docs/architecture.md). */
		struct feedcache_stats fs;
		size_t fe, fb;

		feedcache_stats(&fs);
		api_feed_cache_stats(&fe, &fb);
		strbuf_printf(&b,
		    "# HELP hearth_feed_cache_entries Built feeds kept.\n"
		    "# TYPE hearth_feed_cache_entries gauge\n"
		    "hearth_feed_cache_entries %zu\n"
		    "# HELP hearth_feed_cache_bytes Bytes of the kept feeds "
		    "(plain and gzip).\n"
		    "# TYPE hearth_feed_cache_bytes gauge\n"
		    "hearth_feed_cache_bytes %zu\n"
		    "# HELP hearth_feed_pieces VEVENT and head texts kept for "
		    "incremental builds.\n"
		    "# TYPE hearth_feed_pieces gauge\n"
		    "hearth_feed_pieces %zu\n"
		    "# HELP hearth_feed_piece_bytes Bytes of the kept pieces.\n"
		    "# TYPE hearth_feed_piece_bytes gauge\n"
		    "hearth_feed_piece_bytes %zu\n"
		    "# HELP hearth_feed_piece_lookups_total Pieces found or "
		    "made by feed builds.\n"
		    "# TYPE hearth_feed_piece_lookups_total counter\n"
		    "hearth_feed_piece_lookups_total{result=\"hit\"} %llu\n"
		    "hearth_feed_piece_lookups_total{result=\"miss\"} %llu\n",
		    fe, fb, fs.pieces, fs.bytes, (unsigned long long)fs.hits,
		    (unsigned long long)fs.misses);
	}
	strbuf_printf(&b,
	    "# HELP hearth_store_connections Database connections open: one "
	    "for each thread that used the store and has not let it go.\n"
	    "# TYPE hearth_store_connections gauge\n"
	    "hearth_store_connections %ld\n",
	    store_threads_open());
	{
		/* Group commit: how many commits each WAL sync carried. */
		uint64_t gc, gs, gn;

		store_group_stats(&gc, &gs, &gn);
		strbuf_printf(&b,
		    "# HELP hearth_wal_commits_total Commits written to the "
		    "WAL (synchronous=full: group commit).\n"
		    "# TYPE hearth_wal_commits_total counter\n"
		    "hearth_wal_commits_total %llu\n"
		    "# HELP hearth_wal_syncs_total Syncs of the WAL, each "
		    "making every commit written before it durable.\n"
		    "# TYPE hearth_wal_syncs_total counter\n"
		    "hearth_wal_syncs_total %llu\n",
		    (unsigned long long)gc, (unsigned long long)gn);
	}
	{
		/* Feed builds from kept pieces and the rows they made anew. */
		struct svc_feed_stats fst;

		svc_feed_stats(&fst);
		strbuf_printf(&b,
		    "# HELP hearth_feed_builds_total Feed builds: from the "
		    "previous build's pieces (rows) or whole.\n"
		    "# TYPE hearth_feed_builds_total counter\n"
		    "hearth_feed_builds_total{kind=\"rows\"} %llu\n"
		    "hearth_feed_builds_total{kind=\"whole\"} %llu\n"
		    "# HELP hearth_feed_rows_total VEVENTs of builds from "
		    "pieces: copied, or read and made anew.\n"
		    "# TYPE hearth_feed_rows_total counter\n"
		    "hearth_feed_rows_total{result=\"kept\"} %llu\n"
		    "hearth_feed_rows_total{result=\"made\"} %llu\n",
		    (unsigned long long)fst.incremental,
		    (unsigned long long)fst.whole, (unsigned long long)fst.kept,
		    (unsigned long long)fst.made);
	}
	{
		/* Feeds' gzip forms from chunks (issue 15, branch perf15). */
		uint64_t zr, zm, zd;

		api_feed_gzip_stats(&zr, &zm, &zd);
		strbuf_printf(&b,
		    "# HELP hearth_feed_gzip_chunks_total Chunks of feeds' "
		    "gzip forms: reused from the feed's last gzip form, or "
		    "deflated.\n"
		    "# TYPE hearth_feed_gzip_chunks_total counter\n"
		    "hearth_feed_gzip_chunks_total{result=\"reused\"} %llu\n"
		    "hearth_feed_gzip_chunks_total{result=\"made\"} %llu\n"
		    "# HELP hearth_feed_gzip_deflated_bytes_total Feed bytes "
		    "deflated for gzip forms.\n"
		    "# TYPE hearth_feed_gzip_deflated_bytes_total counter\n"
		    "hearth_feed_gzip_deflated_bytes_total %llu\n",
		    (unsigned long long)zr, (unsigned long long)zm,
		    (unsigned long long)zd);
	}
	/* Mail waiting or given up on is what an operator alerts on. */
	if (store_outbox_counts(api_store(r), NULL, counts) > 0) {
		strbuf_printf(&b,
		    "# HELP hearth_outbox_messages Outbox rows by status.\n"
		    "# TYPE hearth_outbox_messages gauge\n");
		for (i = 1; i < OUTBOX_STATUS__MAX; i++)
			strbuf_printf(&b,
			    "hearth_outbox_messages{status=\"%s\"} %lld\n",
			    outbox_status_names[i], (long long)counts[i]);
	}
	if ((text = strbuf_take(&b, &len)) == NULL)
		return api_reply_internal(r, "out of memory");
	rc = http_reply_bytes(r, 200, "text/plain; version=0.0.4", text, len);
	free(text);
	return rc;
}

int
api_audit_list(struct http_req *r)
{
	struct store_page pg;
	struct audit_entry *items = NULL;
	struct store *st;
	const char *entity = http_req_query(r, "entity");
	int64_t entity_id, total;
	size_t n = 0, i;
	json_t *arr, *detail;

	if (!api_page_or_reply(r, &pg) ||
	    !api_id_query_or_reply(r, "entity_id", &entity_id))
		return http_req_status(r);
	if (entity != NULL && (*entity == '\0' || strlen(entity) > 32))
		return http_reply_errorf(r, HERR_VALIDATION_FAILED, "entity",
		    "记录类型无效（最多 32 个字符，例如 event、shift）");
	st = api_store(r);
	if (store_audit_list(st, entity, entity_id, &pg, &items, &n, &total) <
	    0)
		return api_reply_store_error(r);
	arr = json_array();
	for (i = 0; i < n && arr != NULL; i++) {
		detail = items[i].detail ? json_loads(items[i].detail, 0, NULL)
		                         : NULL;
		if (json_array_append_new(arr,
		        json_pack("{s:I, s:o, s:s, s:s, s:s, s:o, s:o}", "id",
		            (json_int_t)items[i].id, "at",
		            tzdb_time_json(items[i].at), "username",
		            items[i].username, "action", items[i].action,
		            "entity", items[i].entity, "entity_id",
		            items[i].entity_id
		                ? json_integer(items[i].entity_id)
		                : json_null(),
		            "detail", detail ? detail : json_null())) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	audit_list_free(items, n);
	return api_reply_list(r, arr, total);
}
