/*
 * Survey templates as a survey answer reads them (issue 15 point 4,
 * branch surveycpu). A template and its questions never change once
 * made (no statement updates or deletes them, and ids are not reused),
 * so each is read from the store once and kept for the life of the
 * process: an answer no longer reads its template's rows (two
 * statements and a dozen allocations, a tenth of its instructions).
 * Only committed templates are asked for (the survey routes never read
 * one their own transaction made).
 */
#include <pthread.h>
#include <stdlib.h>

#include "service.h"

static pthread_mutex_t templates_lock = PTHREAD_MUTEX_INITIALIZER;
static struct survey_template **templates;
static size_t ntemplates, templates_cap;

/* The kept template id, or NULL; under templates_lock. */
static const struct survey_template *
kept(int64_t id)
{
	size_t i;

	for (i = 0; i < ntemplates; i++)
		if (templates[i]->id == id)
			return templates[i];
	return NULL;
}

int
svc_survey_template(struct store *st, int64_t id,
    const struct survey_template **out)
{
	struct survey_template *t, **grown;
	const struct survey_template *had;
	int rc;

	pthread_mutex_lock(&templates_lock);
	had = kept(id);
	pthread_mutex_unlock(&templates_lock);
	if ((*out = had) != NULL)
		return 1;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -1;
	if ((rc = store_survey_template_get(st, id, t)) <= 0) {
		free(t);
		return rc;
	}
	pthread_mutex_lock(&templates_lock);
	if ((had = kept(id)) == NULL && ntemplates == templates_cap) {
		size_t cap = templates_cap ? 2 * templates_cap : 8;

		if ((grown = realloc(templates, cap * sizeof(*grown))) !=
		    NULL) {
			templates = grown;
			templates_cap = cap;
		}
	}
	if (had == NULL && ntemplates < templates_cap) {
		templates[ntemplates++] = t;
		had = t;
		t = NULL;
	}
	pthread_mutex_unlock(&templates_lock);
	if (t != NULL) {
		/* Another thread kept it first, or no room to keep it. */
		survey_template_free(t);
		free(t);
		if (had == NULL)
			return -1;
	}
	*out = had;
	return 1;
}

void
svc_survey_templates_free(void)
{
	size_t i;

	pthread_mutex_lock(&templates_lock);
	for (i = 0; i < ntemplates; i++) {
		survey_template_free(templates[i]);
		free(templates[i]);
	}
	free(templates);
	templates = NULL;
	ntemplates = templates_cap = 0;
	pthread_mutex_unlock(&templates_lock);
}
