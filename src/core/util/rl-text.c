/* rl-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlText"

#include "rl-text.h"

#include <string.h>

/* Han, kana and hangul are written without spaces: each character is a
 * word of its own, so a name matches by any of its characters. */
static gboolean
is_cjk (gunichar c)
{
  switch (g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_HANGUL:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * rl_text_fold:
 *
 * Returns: @text as search compares it: decomposed, without accents, case
 * folded, words separated by one space ("José  GARCÍA-López" → "jose
 * garcia lopez"; "张伟" → "张 伟").
 */
char *
rl_text_fold (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text ? text : "", -1, G_NORMALIZE_NFKD);
  GString *out = g_string_sized_new (strlen (decomposed ? decomposed : ""));
  gboolean space = TRUE;

  for (const char *p = decomposed ? decomposed : ""; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_ENCLOSING_MARK)
        continue;
      if (!g_unichar_isalnum (c))
        {
          if (!space)
            g_string_append_c (out, ' ');
          space = TRUE;
          continue;
        }
      if (is_cjk (c) && !space)
        g_string_append_c (out, ' ');
      g_string_append_unichar (out, g_unichar_tolower (c));
      space = is_cjk (c);
      if (space)
        g_string_append_c (out, ' ');
    }
  if (out->len && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

/**
 * rl_text_language:
 * @tag: a language as a host names it: "zh-CN", "es_MX", "en-US", "" …
 *
 * Returns: (nullable): the value of the "language" setting it stands for
 * ("" for the desktop's, "en", "es", "es_MX", "zh_CN"), or %NULL for a
 * language Ringline does not ship
 */
const char *
rl_text_language (const char *tag)
{
  static const char *const shipped[][2] = {
    { "", "" },           { "en", "en" },       { "en_us", "en" },
    { "en_gb", "en" },    { "es", "es" },       { "es_es", "es" },
    { "es_mx", "es_MX" }, { "zh_cn", "zh_CN" }, { "zh_hans", "zh_CN" },
    { "zh", "zh_CN" },
  };
  g_autofree char *key = g_ascii_strdown (tag, -1);

  g_strdelimit (key, "-", '_');
  for (guint i = 0; i < G_N_ELEMENTS (shipped); i++)
    if (g_str_equal (key, shipped[i][0]))
      return shipped[i][1];
  return NULL;
}
