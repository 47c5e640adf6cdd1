/* rl-target.c
 *
 * Numbers keep digits, '*', '#' and a leading '+'; the visual separators
 * people paste (spaces, dashes, dots, brackets, slashes) are dropped. SIP URIs
 * are checked for a sane user@host[:port][;params] shape, never rewritten
 * beyond the scheme's case. tel: URIs are read by RFC 3966: a local number
 * takes its ;phone-context= when that is a global number prefix; ;ext= and
 * ;postd= (RFC 4715: digits, 'p' and 'w' pauses) are dialled after the
 * answer as DTMF; ;isub= and unknown parameters are accepted and ignored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlTarget"

#include "rl-target.h"
#include "rl-error.h"

#include <string.h>

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

static gboolean
is_separator (char c)
{
  return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '\t';
}

static char *
normalize_number (const char *text, GError **error)
{
  GString *out = g_string_new (NULL);
  gboolean has_digit = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (is_separator (*p))
        continue;
      if (*p == '+' && out->len == 0)
        g_string_append_c (out, '+');
      else if (g_ascii_isdigit (*p) || *p == '*' || *p == '#')
        {
          has_digit |= g_ascii_isdigit (*p);
          g_string_append_c (out, *p);
        }
      else
        {
          g_string_free (out, TRUE);
          invalid (error, "The number contains characters that cannot be dialled");
          return NULL;
        }
    }
  if (!has_digit && out->len < 2)
    {
      g_string_free (out, TRUE);
      invalid (error, "The number has no digits");
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_user_char (char c)
{
  /* RFC 3261 unreserved plus the user-unreserved marks a dial string uses. */
  return g_ascii_isalnum (c) || strchr ("-_.!~*'()&=+$,;?/%#", c) != NULL;
}

static gboolean
is_host_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '[' || c == ']' || c == ':';
}

static gboolean
valid_sip_rest (const char *rest, GError **error)
{
  const char *at = strchr (rest, '@');
  const char *host = at ? at + 1 : rest;
  const char *end;

  for (const char *p = rest; *p; p++)
    if ((guchar) *p <= ' ' || *p == '<' || *p == '>' || *p == '"' || *p == 0x7f)
      return invalid (error, "The SIP address contains spaces or control characters");
  if (at)
    {
      if (at == rest)
        return invalid (error, "The SIP address has an empty user part");
      for (const char *p = rest; p < at; p++)
        if (!is_user_char (*p))
          return invalid (error, "The SIP address has an invalid user part");
    }
  end = host + strcspn (host, ";?");
  if (end == host)
    return invalid (error, "The SIP address has no host");
  for (const char *p = host; p < end; p++)
    if (!is_host_char (*p))
      return invalid (error, "The SIP address has an invalid host");
  return TRUE;
}

static char *
normalize_sip (const char *scheme, const char *rest, GError **error)
{
  if (!valid_sip_rest (rest, error))
    return NULL;
  return g_strconcat (scheme, rest, NULL);
}

static gboolean
has_prefix_ci (const char *s, const char *prefix)
{
  return g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

static gboolean
is_plain_user (const char *s)
{
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      return FALSE;
  return g_ascii_isalpha (*s);
}

/* The digits of an ;ext= or ;postd= value, pauses as 'p'. */
static gboolean
append_post_dial (GString *post, const char *value, gboolean pauses)
{
  for (const char *p = value; *p; p++)
    {
      char c = g_ascii_tolower (*p);

      if (is_separator (c))
        continue;
      if (g_ascii_isdigit (c) || c == '*' || c == '#' || (pauses && c >= 'a' && c <= 'd'))
        g_string_append_c (post, g_ascii_toupper (c));
      else if (pauses && (c == 'p' || c == 'w'))
        g_string_append_c (post, 'p');
      else
        return FALSE;
    }
  return TRUE;
}

static gboolean
valid_context_domain (const char *domain)
{
  if (*domain == '\0')
    return FALSE;
  for (const char *p = domain; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-')
      return FALSE;
  return TRUE;
}

/* "NUMBER;param=value…" of a tel: URI (RFC 3966). */
static char *
normalize_tel (char *rest, char **post_dial, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (rest, ";", -1);
  g_autoptr (GString) post = g_string_new (NULL);
  g_autofree char *prefix = NULL;
  g_autofree char *number = NULL;

  if (parts[0] == NULL)
    return invalid (error, "The link has no number"), NULL;
  for (guint i = 1; parts[i]; i++)
    {
      char *eq = strchr (parts[i], '=');
      const char *value = eq ? eq + 1 : "";

      if (eq)
        *eq = '\0';
      if (g_ascii_strcasecmp (parts[i], "ext") == 0)
        {
          if (!*value || !append_post_dial (post, value, FALSE))
            return invalid (error, "The link's extension (;ext=) is not digits"), NULL;
        }
      else if (g_ascii_strcasecmp (parts[i], "postd") == 0)
        {
          if (!*value || !append_post_dial (post, value, TRUE))
            return invalid (error, "The link's post-dial digits (;postd=) are not dialable"), NULL;
        }
      else if (g_ascii_strcasecmp (parts[i], "phone-context") == 0)
        {
          if (*value == '+')
            {
              g_clear_pointer (&prefix, g_free);
              prefix = normalize_number (value, NULL);
              if (prefix == NULL)
                return invalid (error, "The link's ;phone-context= is not a number prefix"), NULL;
            }
          else if (!valid_context_domain (value))
            return invalid (error, "The link's ;phone-context= is not a domain"), NULL;
        }
    }
  number = normalize_number (parts[0], error);
  if (number == NULL)
    return NULL;
  if (prefix && *number != '+')
    {
      char *global = g_strconcat (prefix, number, NULL);

      g_free (number);
      number = global;
    }
  if (post_dial && post->len)
    *post_dial = g_strdup (post->str);
  return g_steal_pointer (&number);
}

/**
 * rl_target_normalize:
 * @input: a number, an extension, a user@host, or a tel:/sip:/sips:/callto: URI
 *
 * Returns: (transfer full): the dial string for the engine: a number
 * ("+15551234"), an extension or user name, or a "sip:"/"sips:" URI.
 */
char *
rl_target_normalize (const char *input, GError **error)
{
  return rl_target_normalize_full (input, NULL, error);
}

/**
 * rl_target_normalize_full:
 * @post_dial: (out) (optional): what a tel: URI's ;ext= and ;postd= ask to
 *   send once the call is answered: DTMF digits, 'p' for a pause; %NULL when
 *   nothing
 *
 * As rl_target_normalize().
 */
char *
rl_target_normalize_full (const char *input, char **post_dial, GError **error)
{
  g_autofree char *text = NULL;

  if (post_dial)
    *post_dial = NULL;
  if (input == NULL)
    return invalid (error, "No number given"), NULL;
  if (strlen (input) > RL_TARGET_MAX_LENGTH)
    return invalid (error, "The number is too long"), NULL;
  if (!g_utf8_validate (input, -1, NULL))
    return invalid (error, "The number is not valid UTF-8"), NULL;
  text = g_strstrip (g_strdup (input));
  if (*text == '\0')
    return invalid (error, "The number is empty"), NULL;

  if (has_prefix_ci (text, "sips:"))
    return normalize_sip ("sips:", text + 5, error);
  if (has_prefix_ci (text, "sip:"))
    return normalize_sip ("sip:", text + 4, error);
  if (has_prefix_ci (text, "tel:") || has_prefix_ci (text, "callto:"))
    {
      char *rest = strchr (text, ':') + 1;

      while (*rest == '/')
        rest++;
      if (strchr (rest, '@'))
        return normalize_sip ("sip:", rest, error);
      return normalize_tel (rest, post_dial, error);
    }
  if (strchr (text, '@'))
    return normalize_sip ("sip:", text, error);
  if (is_plain_user (text))
    return g_steal_pointer (&text);
  return normalize_number (text, error);
}

gboolean
rl_target_is_link (const char *uri)
{
  return uri != NULL
         && (has_prefix_ci (uri, "tel:") || has_prefix_ci (uri, "sip:")
             || has_prefix_ci (uri, "sips:") || has_prefix_ci (uri, "callto:"));
}

/**
 * rl_target_from_link:
 *
 * Returns: (transfer full): what a link asks to dial, in the form a person
 * reads in the number entry: a plain number for tel:/callto:, the URI itself
 * for sip:/sips:; a tel: link's extension or post-dial digits stay with the
 * number as tel:NUMBER;postd=DIGITS, which dials the same. Percent-escapes
 * are decoded first.
 */
char *
rl_target_from_link (const char *uri, GError **error)
{
  g_autofree char *unescaped = NULL;
  g_autofree char *post_dial = NULL;
  g_autofree char *target = NULL;

  if (!rl_target_is_link (uri))
    return invalid (error, "Not a tel:, sip:, sips: or callto: link"), NULL;
  unescaped = g_uri_unescape_string (uri, NULL);
  if (unescaped == NULL)
    return invalid (error, "The link has broken escapes"), NULL;
  target = rl_target_normalize_full (unescaped, &post_dial, error);
  if (target && post_dial)
    return g_strdup_printf ("tel:%s;postd=%s", target, post_dial);
  return g_steal_pointer (&target);
}

/* The user part of a SIP URI ("sip:6000@host;x" → "6000"); a bare number is
 * returned as it is. */
char *
rl_target_uri_user (const char *uri)
{
  const char *start, *end;

  if (uri == NULL)
    return g_strdup ("");
  start = uri;
  if (has_prefix_ci (start, "sips:"))
    start += 5;
  else if (has_prefix_ci (start, "sip:") || has_prefix_ci (start, "tel:"))
    start += 4;
  end = strchr (start, '@');
  if (end == NULL)
    end = start + strcspn (start, ";?>");
  return g_strndup (start, end - start);
}

/* The host[:port] of a SIP URI, or of a bare "host:port" server entry. */
char *
rl_target_uri_host (const char *uri)
{
  const char *start;

  if (uri == NULL)
    return g_strdup ("");
  start = uri;
  if (has_prefix_ci (start, "sips:"))
    start += 5;
  else if (has_prefix_ci (start, "sip:"))
    start += 4;
  if (strchr (start, '@'))
    start = strchr (start, '@') + 1;
  return g_strndup (start, strcspn (start, ";?>"));
}
