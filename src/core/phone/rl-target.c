/* rl-target.c
 *
 * Numbers keep digits, '*', '#' and a leading '+'; the visual separators
 * people paste (spaces, dashes, dots, brackets, slashes) are dropped. SIP URIs
 * are checked for a sane user@host[:port][;params] shape, never rewritten
 * beyond the scheme's case.
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
  g_autofree char *text = NULL;
  const char *params;

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
      /* tel: parameters (;phone-context=, ;ext=) are not part of the number. */
      params = strchr (rest, ';');
      if (params)
        *(char *) params = '\0';
      return normalize_number (rest, error);
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
 * for sip:/sips:. Percent-escapes are decoded first.
 */
char *
rl_target_from_link (const char *uri, GError **error)
{
  g_autofree char *unescaped = NULL;

  if (!rl_target_is_link (uri))
    return invalid (error, "Not a tel:, sip:, sips: or callto: link"), NULL;
  unescaped = g_uri_unescape_string (uri, NULL);
  if (unescaped == NULL)
    return invalid (error, "The link has broken escapes"), NULL;
  return rl_target_normalize (unescaped, error);
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
