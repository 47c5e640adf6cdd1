/* rl-end-reason.c
 *
 * baresip reports the end of a call as text: a SIP status line ("486 Busy
 * Here") or an errno string ("Connection reset by peer"). Both are mapped
 * here, once, to a category a CRM can act on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlEndReason"

#include "rl-end-reason.h"
#include "rl-engine-enums.h"
#include "rl-enum.h"

#include <stdlib.h>
#include <string.h>

static const struct
{
  guint first, last;
  RlEndCategory category;
} code_table[] = {
  { 486, 486, RL_END_BUSY },        { 600, 600, RL_END_BUSY },
  { 603, 603, RL_END_DECLINED },    { 404, 404, RL_END_NOT_FOUND },
  { 604, 604, RL_END_NOT_FOUND },   { 484, 485, RL_END_NOT_FOUND },
  { 410, 410, RL_END_NOT_FOUND },   { 408, 408, RL_END_NO_ANSWER },
  { 480, 480, RL_END_NO_ANSWER },   { 487, 487, RL_END_CANCELLED },
  { 401, 401, RL_END_AUTH_FAILED }, { 407, 407, RL_END_AUTH_FAILED },
  { 403, 403, RL_END_REJECTED },    { 502, 504, RL_END_UNREACHABLE },
  { 400, 499, RL_END_REJECTED },    { 500, 599, RL_END_FAILED },
  { 605, 699, RL_END_REJECTED },
};

static const struct
{
  const char *text;
  RlEndCategory category;
} text_table[] = {
  { "Connection reset by user", RL_END_LOCAL_HANGUP },
  { "Connection reset by peer", RL_END_REMOTE_HANGUP },
  { "Call transfered", RL_END_TRANSFERRED },
  { "Call transferred", RL_END_TRANSFERRED },
  { "Connection timed out", RL_END_UNREACHABLE },
  { "Connection refused", RL_END_UNREACHABLE },
  { "Network is unreachable", RL_END_UNREACHABLE },
  { "No route to host", RL_END_UNREACHABLE },
  { "Operation not supported", RL_END_FAILED },
};

static RlEndCategory
rl_end_reason_category_for_code (guint code)
{
  for (guint i = 0; i < G_N_ELEMENTS (code_table); i++)
    if (code >= code_table[i].first && code <= code_table[i].last)
      return code_table[i].category;
  return RL_END_FAILED;
}

/* Returns: the category's word on D-Bus and in the call record. */
const char *
rl_end_category_to_string (RlEndCategory category)
{
  return rl_enum_to_nick (RL_TYPE_END_CATEGORY, category);
}

/* Modern baresip ends an error text with its errno: "Connection reset by
 * peer [104]". Returns the text without it. */
static char *
strip_errno (const char *text)
{
  const char *open = strrchr (text, '[');
  gsize digits;

  if (open == NULL || open == text || open[-1] != ' ')
    return g_strdup (text);
  digits = strspn (open + 1, "-0123456789");
  if (digits == 0 || !g_str_equal (open + 1 + digits, "]"))
    return g_strdup (text);
  return g_strndup (text, open - 1 - text);
}

/* What the engine's own error says, for an agent: never "Unknown error -2"
 * (baresip 1.0 ends a call that way when its audio device fails to open). */
static char *
readable_error (const char *text, RlEndCategory *category)
{
  g_autofree char *bare = strip_errno (text);

  *category = RL_END_FAILED;
  for (guint i = 0; i < G_N_ELEMENTS (text_table); i++)
    if (g_ascii_strcasecmp (bare, text_table[i].text) == 0)
      *category = text_table[i].category;
  if (g_str_has_prefix (bare, "Unknown error"))
    return g_strdup_printf ("The call engine could not set up the call (error%s)",
                            bare + strlen ("Unknown error"));
  return g_steal_pointer (&bare);
}

void
rl_end_reason_from_engine (const char *param, RlEndReason *out)
{
  const char *text = param ? param : "";
  char *end = NULL;
  long code = strtol (text, &end, 10);

  out->code = 0;
  if (end != text && code >= 300 && code <= 699 && (*end == ' ' || *end == '\0'))
    {
      out->code = code;
      out->category = rl_end_reason_category_for_code (code);
      out->text = g_strstrip (g_strdup (end));
      return;
    }
  out->text = readable_error (text, &out->category);
}

/* @text cut at @separator where it is not inside double quotes. */
static GPtrArray *
split_unquoted (const char *text, char separator)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  gboolean quoted = FALSE;
  const char *start = text;

  for (const char *p = text;; p++)
    {
      if (quoted && p[0] == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"')
        quoted = !quoted;
      else if (*p == '\0' || (*p == separator && !quoted))
        {
          g_ptr_array_add (parts, g_strstrip (g_strndup (start, p - start)));
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  return parts;
}

/* The network's words go to D-Bus and the history: valid UTF-8, bounded. */
static char *
unquote (const char *value)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (*value != '"')
    g_string_append (out, value);
  else
    for (const char *p = value + 1; *p && *p != '"'; p++)
      {
        if (p[0] == '\\' && p[1] != '\0')
          p++;
        g_string_append_c (out, *p);
      }
  if (out->len > 200)
    g_string_truncate (out, 200);
  return g_utf8_make_valid (out->str, -1);
}

static gboolean
read_cause (const char *digits, guint *cause)
{
  if (*digits == '\0' || strlen (digits) > 5 || strspn (digits, "0123456789") != strlen (digits))
    return FALSE;
  *cause = strtoul (digits, NULL, 10);
  return TRUE;
}

/* One reason-value: protocol *(";" reason-params); FALSE without a cause. */
static gboolean
read_value (const char *value, guint *cause, char **protocol, char **text)
{
  g_autoptr (GPtrArray) parts = split_unquoted (value, ';');
  g_autofree char *words = NULL;
  gboolean has_cause = FALSE;

  for (guint i = 1; i < parts->len; i++)
    {
      char *name = g_ptr_array_index (parts, i);
      char *eq = strchr (name, '=');

      if (eq == NULL)
        continue;
      *eq = '\0';
      g_strstrip (name);
      if (g_ascii_strcasecmp (name, "cause") == 0)
        has_cause = read_cause (g_strstrip (eq + 1), cause);
      else if (g_ascii_strcasecmp (name, "text") == 0 && words == NULL)
        words = unquote (g_strstrip (eq + 1));
    }
  if (!has_cause)
    return FALSE;
  *protocol = unquote (g_ptr_array_index (parts, 0));
  *text = words ? g_steal_pointer (&words) : g_strdup ("");
  return TRUE;
}

/* A platform's own protocol says most, then Q.850's cause; a SIP cause only
 * repeats a status code. */
static guint
protocol_rank (const char *protocol)
{
  if (g_ascii_strcasecmp (protocol, "SIP") == 0)
    return 2;
  return g_ascii_strcasecmp (protocol, "Q.850") == 0 ? 1 : 0;
}

/**
 * rl_end_reason_read_header:
 * @header: (nullable): a Reason header's value, several joined by commas
 *
 * Fills @out's platform fields from the reason-value that says most (see
 * protocol_rank()), the first of its kind.
 *
 * Returns: whether @header held a reason-value with a cause
 */
gboolean
rl_end_reason_read_header (const char *header, RlEndReason *out)
{
  g_autoptr (GPtrArray) values = split_unquoted (header ? header : "", ',');
  guint best = G_MAXUINT;

  for (guint i = 0; i < values->len; i++)
    {
      guint cause = 0;
      g_autofree char *protocol = NULL;
      g_autofree char *text = NULL;

      if (!read_value (g_ptr_array_index (values, i), &cause, &protocol, &text)
          || protocol_rank (protocol) >= best)
        continue;
      best = protocol_rank (protocol);
      out->platform_code = cause;
      g_free (out->platform_protocol);
      out->platform_protocol = g_steal_pointer (&protocol);
      g_free (out->platform_text);
      out->platform_text = g_steal_pointer (&text);
    }
  return best != G_MAXUINT;
}

/**
 * rl_end_reason_split_param:
 * @param: (inout): CALL_CLOSED's parameter, "486 Busy Here,Q.850;cause=17"
 * @header: (out) (nullable): the Reason header after the comma, or NULL
 *
 * Modern baresip appends the closing message's Reason header to the status
 * line; 1.0 does not (see rl-sip-trace.c for its fallback).
 */
void
rl_end_reason_split_param (char **param, char **header)
{
  g_autoptr (GPtrArray) parts = split_unquoted (*param ? *param : "", ',');
  g_autoptr (GString) rest = g_string_new (NULL);
  RlEndReason probe = { 0 };

  *header = NULL;
  if (parts->len < 2)
    return;
  for (guint i = 1; i < parts->len; i++)
    g_string_append_printf (rest, "%s%s", i > 1 ? "," : "", (char *) g_ptr_array_index (parts, i));
  /* Only a status line followed by a reason-value with a cause is split:
   * an error text may hold a comma of its own. */
  if (!g_ascii_isdigit (**param) || !rl_end_reason_read_header (rest->str, &probe))
    {
      rl_end_reason_clear (&probe);
      return;
    }
  rl_end_reason_clear (&probe);
  g_free (*param);
  *param = g_strdup (g_ptr_array_index (parts, 0));
  *header = g_string_free (g_steal_pointer (&rest), FALSE);
}

void
rl_end_reason_clear (RlEndReason *reason)
{
  g_clear_pointer (&reason->text, g_free);
  g_clear_pointer (&reason->platform_text, g_free);
  g_clear_pointer (&reason->platform_protocol, g_free);
  reason->category = RL_END_FAILED;
  reason->code = 0;
  reason->platform_code = 0;
}
