/*
 * Group robots and what SMS needs from the store: the robots table, the
 * robots' gathering roster notices, participants with a phone, the SMS
 * opt-out and the per-number count. The outbox rows themselves go
 * through outbox.c like every other message.
 */
#include <stdlib.h>
#include <string.h>

#include "stmt.h"

void
robot_free(struct robot *r)
{
	if (r == NULL)
		return;
	free(r->channel);
	free(r->token);
	if (r->secret != NULL)
		secret_wipe(r->secret, strlen(r->secret));
	free(r->secret);
	free(r->station_name);
	free(r->station_tz);
	memset(r, 0, sizeof(*r));
}

static void
robot_free_item(void *p)
{
	robot_free(p);
}

void
robot_list_free(struct robot *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), robot_free_item);
}

static int
read_robot(struct dbstmt *s, void *p)
{
	struct robot *r = p;

	memset(r, 0, sizeof(*r));
	r->id = db_column_int64(s, 0);
	r->station_id = db_column_int64(s, 1);
	r->channel = store_col_text(s, 2);
	r->token = store_col_text(s, 3);
	r->secret = store_col_text(s, 4);
	r->active = db_column_int(s, 5);
	r->created_at = (time_t)db_column_int64(s, 6);
	r->updated_at = (time_t)db_column_int64(s, 7);
	r->station_name = store_col_text(s, 8);
	r->station_tz = store_col_text(s, 9);
	if (r->channel == NULL || r->token == NULL || r->secret == NULL ||
	    r->station_name == NULL || r->station_tz == NULL) {
		robot_free(r);
		return -1;
	}
	return 1;
}

int
store_robot_get(struct store *st, int64_t station_id, const char *channel,
    struct robot *out)
{
	struct dbstmt *s = store_stmt(st, STMT_ROBOT_GET);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, station_id);
	store_bind_text(s, 2, channel);
	return store_get_row(st, s, read_robot, out, "robot get");
}

int
store_robot_list(struct store *st, const char *channel, struct robot **items,
    size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_ROBOT_LIST);

	*items = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, channel);
	return store_collect(st, s, sizeof(**items), read_robot,
	    robot_free_item, (void **)items, n, "robot list");
}

int
store_robot_targets(struct store *st, int64_t station_id, const char *channel,
    struct robot **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_ROBOT_TARGETS);

	*items = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, station_id);
	store_bind_text(s, 2, channel);
	return store_collect(st, s, sizeof(**items), read_robot,
	    robot_free_item, (void **)items, n, "robot targets");
}

int
store_robot_save(struct store *st, struct robot *r, time_t now)
{
	struct dbstmt *s;
	int rc;

	if (r->id == 0) {
		if ((s = store_stmt(st, STMT_ROBOT_INSERT)) == NULL)
			return -1;
		store_bind_id(s, 1, r->station_id);
		store_bind_text(s, 2, r->channel);
		store_bind_text(s, 3, r->token);
		store_bind_text(s, 4, r->secret ? r->secret : "");
		db_bind_int(s, 5, r->active != 0);
		db_bind_int64(s, 6, (int64_t)now);
		if ((rc = store_step_write(st, s, "robot insert")) > 0) {
			r->id = db_last_id(st);
			r->created_at = r->updated_at = now;
		}
		return rc;
	}
	if ((s = store_stmt(st, STMT_ROBOT_UPDATE)) == NULL)
		return -1;
	db_bind_int64(s, 1, r->id);
	store_bind_text(s, 2, r->token);
	store_bind_text(s, 3, r->secret ? r->secret : "");
	db_bind_int(s, 4, r->active != 0);
	db_bind_int64(s, 5, (int64_t)now);
	if ((rc = store_step_write(st, s, "robot update")) > 0)
		r->updated_at = now;
	return rc;
}

int
store_robot_delete(struct store *st, const struct robot *r, const char *reason)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_SKIP_ROBOT);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, r->channel);
	db_bind_int64(s, 2, r->station_id);
	store_bind_text(s, 3, reason);
	if (store_step_write(st, s, "robot outbox skip") < 0 ||
	    (s = store_stmt(st, STMT_ROBOT_DELETE)) == NULL)
		return -1;
	db_bind_int64(s, 1, r->id);
	return store_step_write(st, s, "robot delete");
}

/* The outbox row reader lives in outbox.c; these two go through the
 * statements that select the same columns. */
int
store_outbox_open_robot_roster(struct store *st, const char *channel,
    int64_t station_id, struct outbox_msg *out)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_OPEN_ROBOT_ROSTER);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, channel);
	db_bind_int64(s, 2, station_id);
	return store_outbox_read_one(st, s, out, "outbox open robot roster");
}

int
store_outbox_robot_roster_count(struct store *st, const char *channel,
    int64_t station_id, int64_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_ROBOT_ROSTER_COUNT);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, channel);
	db_bind_int64(s, 2, station_id);
	return store_scalar(st, s, n, "outbox robot roster count");
}

/* --- SMS ------------------------------------------------------------------------ */

void
sms_person_free(struct sms_person *p)
{
	free(p->phone);
	memset(p, 0, sizeof(*p));
}

static void
sms_person_free_item(void *p)
{
	sms_person_free(p);
}

void
sms_person_list_free(struct sms_person *items, size_t n)
{
	store_free_items(items, n, sizeof(*items), sms_person_free_item);
}

static int
read_sms_person(struct dbstmt *s, void *v)
{
	struct sms_person *p = v;

	memset(p, 0, sizeof(*p));
	p->registration_id = db_column_int64(s, 0);
	p->event_id = db_column_int64(s, 1);
	p->phone = store_col_text(s, 2);
	p->status = store_col_state(s, 3, registration_status_names);
	p->reminders_opt_out = db_column_int(s, 4);
	p->sms_opt_out = db_column_int(s, 5);
	if (p->phone == NULL) {
		sms_person_free(p);
		return -1;
	}
	return 1;
}

int
store_sms_people(struct store *st, int64_t event_id, int64_t only_reg,
    struct sms_person **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_SMS_PEOPLE);

	*items = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, event_id);
	db_bind_int64(s, 2, only_reg > 0 ? only_reg : 0);
	return store_collect(st, s, sizeof(**items), read_sms_person,
	    sms_person_free_item, (void **)items, n, "sms people");
}

int
store_sms_person(struct store *st, int64_t registration_id,
    struct sms_person *out)
{
	struct dbstmt *s = store_stmt(st, STMT_SMS_PERSON);

	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, registration_id);
	return store_get_row(st, s, read_sms_person, out, "sms person");
}

int
store_registration_set_sms_opt_out(struct store *st, int64_t id, int opt_out,
    time_t at)
{
	struct dbstmt *s = store_stmt(st, STMT_REG_SET_SMS_OPT_OUT);

	if (s == NULL)
		return -1;
	db_bind_int(s, 1, opt_out != 0);
	db_bind_int64(s, 2, (int64_t)at);
	db_bind_int64(s, 3, id);
	return store_step_write(st, s, "registration sms opt-out") > 0 ? 1 : -1;
}

int
store_sms_sent_since(struct store *st, const char *phone, time_t since,
    int64_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_SMS_SENT_SINCE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, phone);
	db_bind_int64(s, 2, (int64_t)since);
	return store_scalar(st, s, n, "sms sent since");
}

int
store_outbox_skip_registration(struct store *st, int64_t registration_id,
    const char *channel, const char *reason)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_SKIP_REG_CHANNEL);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, reason);
	db_bind_int64(s, 2, registration_id);
	store_bind_text(s, 3, channel);
	return store_step_write(st, s, "outbox skip registration");
}

int
store_robot_duty_missing(struct store *st, time_t after, time_t until,
    int64_t station_id, struct duty_due **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_ROBOT_DUTY_MISSING);

	*items = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, (int64_t)after);
	db_bind_int64(s, 2, (int64_t)until);
	db_bind_int64(s, 3, station_id);
	return store_duty_due_collect(st, s, items, n, "robot duty missing");
}

static int
read_reg_channel(struct dbstmt *s, void *p)
{
	struct reg_channel *c = p;
	const unsigned char *ch = db_column_text(s, 1);

	memset(c, 0, sizeof(*c));
	c->registration_id = db_column_int64(s, 0);
	if (ch != NULL)
		strncpy(c->channel, (const char *)ch, sizeof(c->channel) - 1);
	c->queued = db_column_int64(s, 2);
	c->sent = db_column_int64(s, 3);
	return 1;
}

static void
reg_channel_free_item(void *p)
{
	(void)p;
}

int
store_outbox_registration_channels(struct store *st, int64_t event_id,
    struct reg_channel **items, size_t *n)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_REG_CHANNELS);

	*items = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, event_id);
	return store_collect(st, s, sizeof(**items), read_reg_channel,
	    reg_channel_free_item, (void **)items, n,
	    "outbox registration channels");
}

int
store_outbox_skip_channel(struct store *st, const char *channel,
    const char *reason)
{
	struct dbstmt *s = store_stmt(st, STMT_OUTBOX_SKIP_CHANNEL);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, channel);
	store_bind_text(s, 2, reason);
	return store_step_write(st, s, "outbox skip channel");
}
