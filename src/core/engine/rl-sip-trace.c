/* rl-sip-trace.c
 *
 * baresip's ctrl_tcp says a call closed and gives the status line, but not
 * the Reason header (RFC 3326) that carries a platform's own hang-up code
 * (800–819, docs/dbus-api.md). Started with -s, baresip prints every SIP message it
 * sends or receives on its standard output, each as a block:
 *
 *   ESC[36;1m#               (modern baresip: the time before the #)
 *   UDP 127.0.0.1:5070 -> 127.0.0.1:5060
 *   SIP/2.0 486 Busy Here
 *   Call-ID: ...
 *   Reason: X-Platform;cause=810;text="Balance is insufficient"
 *   <blank line, body>
 *   ESC[;m
 *
 * This reads those blocks line by line and keeps the Reason header of the
 * messages that end a call (a final INVITE failure, a BYE, a CANCEL) by
 * Call-ID, which is the id baresip's call events carry. baresip writes the
 * trace before it sends the event, so draining its output when the event
 * arrives finds the header. Nothing here is logged: the trace holds digest
 * credentials' responses.
 *
 * A caller chooses the body, and a body can hold lines that look like a
 * block of their own, naming another call's Call-ID. So the body is skipped
 * by its Content-Length, never read for blocks; and every message that ends
 * a call replaces what was kept for that call, so only the Reason of the
 * message that really ended it (the last one, printed just before the
 * event) is ever taken.
 *
 * It also keeps, from the INVITE that offers a call, the headers a PBX or a
 * dialer hands on for the agent's CRM (X-…, User-to-User) and its
 * auto-answer hints (Call-Info, Alert-Info, Answer-Mode): baresip's events
 * carry none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlSipTrace"

#include "rl-sip-trace.h"

#include <stdlib.h>
#include <string.h>

/* Calls that end locally leave their entry behind with baresip 1.0 (no
 * CALL_CLOSED to take it): the oldest go first. */
#define MAX_KEPT 32
/* A caller writes these: bounded like every input. */
#define MAX_OFFERED 32
#define MAX_OFFERED_VALUE 1024

typedef enum
{
  OUTSIDE,
  ADDRESS,
  START_LINE,
  HEADERS,
  BODY,    /* of unknown length: up to the block's end */
  COUNTED, /* body_left bytes of body still to come */
  TRAILER, /* after the counted body: only the block's end is expected */
} TraceState;

/* What the trace keeps by Call-ID until the call's event takes it. */
typedef struct
{
  GHashTable *items; /* Call-ID -> value */
  GQueue order;      /* Call-IDs, oldest first */
} Kept;

struct _RlSipTrace
{
  TraceState state;
  guint status;
  char *method;
  char *cseq_method;
  char *call_id;
  char *reason;
  gboolean to_tagged;    /* the To header has a tag: not a new call's INVITE */
  GHashTable *offered;   /* header name -> value, the ones a new call's INVITE hands on */
  gint64 content_length; /* -1: the message did not say */
  gsize body_left;
  gboolean in_reason; /* the last header was Reason: a folded line continues it */
  Kept reasons;       /* Reason header values */
  Kept offers;        /* a{ss}: an offered call's hand-on headers */
};

static void
kept_init (Kept *kept, GDestroyNotify free_value)
{
  kept->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_value);
  g_queue_init (&kept->order);
}

static void
kept_clear (Kept *kept)
{
  g_hash_table_destroy (kept->items);
  g_queue_clear_full (&kept->order, g_free);
}

/* Returns: (transfer full) (nullable): what was kept for @call_id, now forgotten */
static gpointer
kept_take (Kept *kept, const char *call_id)
{
  GList *link = g_queue_find_custom (&kept->order, call_id, (GCompareFunc) g_strcmp0);
  gpointer key = NULL, value = NULL;

  if (g_hash_table_steal_extended (kept->items, call_id, &key, &value))
    g_free (key);
  if (link)
    {
      g_free (link->data);
      g_queue_delete_link (&kept->order, link);
    }
  return value;
}

static void
kept_put (Kept *kept, const char *call_id, gpointer value)
{
  if (!g_hash_table_contains (kept->items, call_id))
    {
      g_queue_push_tail (&kept->order, g_strdup (call_id));
      while (g_queue_get_length (&kept->order) > MAX_KEPT)
        {
          g_autofree char *oldest = g_queue_pop_head (&kept->order);

          g_hash_table_remove (kept->items, oldest);
        }
    }
  g_hash_table_insert (kept->items, g_strdup (call_id), value);
}

RlSipTrace *
rl_sip_trace_new (void)
{
  RlSipTrace *trace = g_new0 (RlSipTrace, 1);

  kept_init (&trace->reasons, g_free);
  kept_init (&trace->offers, (GDestroyNotify) g_variant_unref);
  return trace;
}

static void
reset_message (RlSipTrace *trace)
{
  trace->status = 0;
  trace->content_length = -1;
  trace->in_reason = FALSE;
  g_clear_pointer (&trace->method, g_free);
  g_clear_pointer (&trace->cseq_method, g_free);
  g_clear_pointer (&trace->call_id, g_free);
  g_clear_pointer (&trace->reason, g_free);
  g_clear_pointer (&trace->offered, g_hash_table_unref);
  trace->to_tagged = FALSE;
}

void
rl_sip_trace_free (RlSipTrace *trace)
{
  if (trace == NULL)
    return;
  reset_message (trace);
  kept_clear (&trace->reasons);
  kept_clear (&trace->offers);
  g_free (trace);
}

/* The line without terminal colour sequences, without the CR of SIP's CRLF
 * and without what a carriage return wrote over: baresip's call status
 * ("\r[0:00:01] audio=...") stays on the line a trace block starts on. */
static char *
plain (const char *line, gboolean *had_colour_reset)
{
  GString *out = g_string_sized_new (strlen (line));
  const char *cr;

  *had_colour_reset = FALSE;
  for (const char *p = line; *p; p++)
    {
      if (p[0] == '\033' && p[1] == '[')
        {
          const char *end = p + 2 + strspn (p + 2, "0123456789;");

          if (*end == 'm')
            {
              *had_colour_reset
                |= g_str_has_prefix (p, "\033[;m") || g_str_has_prefix (p, "\033[0m");
              p = end;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }
  if (out->len > 0 && out->str[out->len - 1] == '\r')
    g_string_truncate (out, out->len - 1);
  cr = strrchr (out->str, '\r');
  if (cr)
    g_string_erase (out, 0, cr + 1 - out->str);
  return g_string_free (out, FALSE);
}

/* "#" (1.0), or with the time before it, "08:06:47.868#" (modern). */
static gboolean
is_block_start (const char *text)
{
  gsize time = strspn (text, "0123456789:.");

  return g_str_equal (text + time, "#");
}

static gboolean
ends_a_call (RlSipTrace *trace)
{
  if (trace->status >= 300)
    return g_strcmp0 (trace->cseq_method, "INVITE") == 0;
  return g_strcmp0 (trace->method, "BYE") == 0 || g_strcmp0 (trace->method, "CANCEL") == 0;
}

static void
keep_reason (RlSipTrace *trace)
{
  if (trace->call_id == NULL || !ends_a_call (trace))
    return;
  if (trace->reason == NULL)
    g_free (kept_take (&trace->reasons, trace->call_id));
  else
    kept_put (&trace->reasons, trace->call_id, g_strdup (trace->reason));
}

/* Headers a PBX or a dialer hands on with a call for the agent's CRM (RFC 3261
 * extension headers, RFC 7433's User-to-User) and the auto-answer hints. */
static gboolean
is_offered_header (const char *name)
{
  return g_ascii_strncasecmp (name, "X-", 2) == 0 || g_ascii_strcasecmp (name, "User-to-User") == 0
         || g_ascii_strcasecmp (name, "Call-Info") == 0
         || g_ascii_strcasecmp (name, "Alert-Info") == 0
         || g_ascii_strcasecmp (name, "Answer-Mode") == 0;
}

static void
keep_offered (RlSipTrace *trace, const char *name, const char *value)
{
  const char *before;

  if (trace->offered == NULL)
    trace->offered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  before = g_hash_table_lookup (trace->offered, name);
  if (before == NULL && g_hash_table_size (trace->offered) >= MAX_OFFERED)
    return;
  if (strlen (value) + (before ? strlen (before) + 2 : 0) > MAX_OFFERED_VALUE)
    return;
  /* Headers of one name are one comma-separated list (RFC 3261 7.3). */
  g_hash_table_insert (trace->offered, g_strdup (name),
                       before ? g_strconcat (before, ", ", value, NULL) : g_strdup (value));
}

/* A request that starts a call (an INVITE whose To has no tag yet). */
static void
keep_offer (RlSipTrace *trace)
{
  GVariantBuilder b;
  GHashTableIter iter;
  gpointer name, value;

  if (trace->call_id == NULL || g_strcmp0 (trace->method, "INVITE") != 0 || trace->to_tagged)
    return;
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a{ss}"));
  if (trace->offered)
    {
      g_hash_table_iter_init (&iter, trace->offered);
      while (g_hash_table_iter_next (&iter, &name, &value))
        g_variant_builder_add (&b, "{ss}", name, value);
    }
  kept_put (&trace->offers, trace->call_id, g_variant_ref_sink (g_variant_builder_end (&b)));
}

static void
read_start_line (RlSipTrace *trace, const char *line)
{
  if (g_str_has_prefix (line, "SIP/2.0 "))
    trace->status = strtoul (line + strlen ("SIP/2.0 "), NULL, 10);
  else
    trace->method = g_strndup (line, strcspn (line, " "));
}

/* A folded line and a second Reason header both extend the one kept. */
static void
extend_reason (RlSipTrace *trace, const char *separator, const char *more)
{
  g_autofree char *before = g_steal_pointer (&trace->reason);

  trace->reason = before ? g_strconcat (before, separator, more, NULL) : g_strdup (more);
  trace->in_reason = TRUE;
}

static void
read_header (RlSipTrace *trace, const char *line)
{
  const char *colon = strchr (line, ':');
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if ((line[0] == ' ' || line[0] == '\t') && trace->in_reason)
    {
      g_autofree char *folded = g_strstrip (g_strdup (line));

      extend_reason (trace, " ", folded);
      return;
    }
  trace->in_reason = FALSE;
  if (colon == NULL)
    return;
  name = g_strstrip (g_strndup (line, colon - line));
  value = g_strstrip (g_strdup (colon + 1));
  if (g_ascii_strcasecmp (name, "Call-ID") == 0 || g_ascii_strcasecmp (name, "i") == 0)
    {
      g_free (trace->call_id);
      trace->call_id = g_steal_pointer (&value);
    }
  else if (g_ascii_strcasecmp (name, "CSeq") == 0)
    {
      g_free (trace->cseq_method);
      trace->cseq_method = g_strdup (value + strspn (value, "0123456789 \t"));
    }
  else if (g_ascii_strcasecmp (name, "Content-Length") == 0 || g_ascii_strcasecmp (name, "l") == 0)
    trace->content_length = g_ascii_strtoll (value, NULL, 10);
  else if (g_ascii_strcasecmp (name, "Reason") == 0)
    extend_reason (trace, ", ", value); /* several headers are one list */
  else if (g_ascii_strcasecmp (name, "To") == 0 || g_ascii_strcasecmp (name, "t") == 0)
    {
      g_autofree char *lower = g_ascii_strdown (value, -1);

      trace->to_tagged = strstr (lower, ";tag=") != NULL;
    }
  else if (is_offered_header (name) && g_utf8_validate (value, -1, NULL))
    keep_offered (trace, name, value);
}

static gboolean
is_block_end (const char *raw)
{
  return g_str_has_prefix (raw, "\033[;m") || g_str_has_prefix (raw, "\033[0m");
}

/* A line of a body whose length is known: the block ends right after it. */
static void
read_counted (RlSipTrace *trace, const char *raw)
{
  gsize len = strlen (raw);

  if (len + 1 <= trace->body_left)
    {
      trace->body_left -= len + 1;
      return;
    }
  /* What follows the body on its last line: the end, or bytes past the
   * message's length, which prove nothing and are skipped. */
  trace->state = is_block_end (raw + MIN (trace->body_left, len)) ? OUTSIDE : TRAILER;
  trace->body_left = 0;
}

static void
end_headers (RlSipTrace *trace)
{
  keep_reason (trace);
  keep_offer (trace);
  if (trace->content_length < 0)
    trace->state = BODY;
  else
    {
      trace->state = COUNTED;
      trace->body_left = (gsize) MIN (trace->content_length, G_MAXINT32);
    }
}

/**
 * rl_sip_trace_feed:
 * @line: one line of baresip's output, without its newline
 *
 * Returns: whether the line belonged to the SIP trace (and must not be
 * logged)
 */
gboolean
rl_sip_trace_feed (RlSipTrace *trace, const char *line)
{
  gboolean colour_reset;
  g_autofree char *text = NULL;

  if (trace->state == COUNTED)
    {
      read_counted (trace, line);
      return TRUE;
    }
  if (trace->state == TRAILER)
    {
      if (is_block_end (line))
        trace->state = OUTSIDE;
      return TRUE;
    }
  text = plain (line, &colour_reset);
  if (is_block_start (text))
    {
      reset_message (trace);
      trace->state = ADDRESS;
      return TRUE;
    }
  switch (trace->state)
    {
    case OUTSIDE:
      return FALSE;
    case ADDRESS:
      trace->state = START_LINE;
      break;
    case START_LINE:
      read_start_line (trace, text);
      trace->state = HEADERS;
      break;
    case HEADERS:
      if (*text == '\0' || colour_reset)
        {
          end_headers (trace);
          /* A block that ends with its headers has no body to count. */
          if (colour_reset)
            trace->state = OUTSIDE;
          return TRUE;
        }
      read_header (trace, text);
      break;
    case BODY:
    case COUNTED:
    case TRAILER:
      break;
    }
  if (colour_reset)
    trace->state = OUTSIDE;
  return TRUE;
}

/**
 * rl_sip_trace_take_reason:
 *
 * Returns: (transfer full) (nullable): the Reason header of the message that
 * ended the call with SIP Call-ID @call_id, forgotten once taken
 */
char *
rl_sip_trace_take_reason (RlSipTrace *trace, const char *call_id)
{
  return kept_take (&trace->reasons, call_id);
}

/**
 * rl_sip_trace_take_offer:
 *
 * Returns: (transfer full) (nullable): an a{ss} of the X- headers,
 * User-to-User, Call-Info, Alert-Info and Answer-Mode of the INVITE that started the call
 * with SIP Call-ID @call_id (empty if it had none; %NULL if the trace did not
 * see it), forgotten once taken
 */
GVariant *
rl_sip_trace_take_offer (RlSipTrace *trace, const char *call_id)
{
  return kept_take (&trace->offers, call_id);
}
