/* jsonout.c - JSON objects for clauses (jsonout.h), built with jansson. */
#include "jsonout.h"

#include <stdlib.h>
#include <string.h>

#include "../base/util.h"

void jo_set_str(json_t *o, const char *key, const char *s)
{
    if (s && *s) json_object_set_new(o, key, json_string(s));
}

json_t *jo_clause(const rec_clause *c, const rec_meta *m)
{
    json_t *o = json_object();
    if (!o) cl_oom();
    json_object_set_new(o, "doc", json_string(c->doc));
    json_object_set_new(o, "label", json_string(c->label));
    json_object_set_new(o, "kind", json_string(c->kind));
    json_object_set_new(o, "lead", json_string(c->lead ? c->lead : ""));
    if (c->year > 0) json_object_set_new(o, "year", json_integer(c->year));
    jo_set_str(o, "date", c->date);
    json_object_set_new(o, "ordinal", json_integer(c->ordinal));
    json_object_set_new(o, "source", json_string(c->source));
    json_object_set_new(o, "text", json_stringn(c->text, c->text_len));
    if (m) jo_add_meta(o, m);
    return o;
}

void jo_add_meta(json_t *o, const rec_meta *m)
{
#define JO_FIELD(f) jo_set_str(o, #f, m->f);
    REC_DOC_TEXT_FIELDS(JO_FIELD)
#undef JO_FIELD
}

char *jo_line(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!s) cl_oom();
    size_t n = strlen(s);
    char *line = cl_xmalloc(n + 2);
    memcpy(line, s, n);
    line[n] = '\n';
    line[n + 1] = '\0';
    free(s);
    return line;
}

void jo_append(cl_buf *out, json_t *o)
{
    char *l = jo_line(o);
    cl_buf_adds(out, l);
    free(l);
    json_decref(o);
}
