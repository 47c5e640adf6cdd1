/* rl-color.c: parsing, contrast (WCAG 2 relative luminance) and the
 * smallest change that makes a brand colour legible.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-color.h"

#include "rl-error.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const RlColor black = { 0, 0, 0 };
static const RlColor white = { 1, 1, 1 };

static gboolean
parse_hex (const char *hex, RlColor *color)
{
  size_t len = strlen (hex);
  guint value = 0;

  if (len != 3 && len != 6)
    return FALSE;
  for (size_t i = 0; i < len; i++)
    {
      if (!g_ascii_isxdigit (hex[i]))
        return FALSE;
      value = value * 16 + g_ascii_xdigit_value (hex[i]);
    }
  if (len == 3)
    {
      color->red = ((value >> 8) & 0xf) / 15.0;
      color->green = ((value >> 4) & 0xf) / 15.0;
      color->blue = (value & 0xf) / 15.0;
    }
  else
    {
      color->red = ((value >> 16) & 0xff) / 255.0;
      color->green = ((value >> 8) & 0xff) / 255.0;
      color->blue = (value & 0xff) / 255.0;
    }
  return TRUE;
}

static gboolean
parse_rgb (const char *text, RlColor *color)
{
  int r, g, b, end = 0;

  if (sscanf (text, "rgb(%d ,%d ,%d )%n", &r, &g, &b, &end) != 3 || text[end] != '\0')
    return FALSE;
  if (r < 0 || r > 255 || g < 0 || g > 255 || b < 0 || b > 255)
    return FALSE;
  *color = (RlColor){ r / 255.0, g / 255.0, b / 255.0 };
  return TRUE;
}

/**
 * rl_color_parse:
 * @text: "#rgb", "#rrggbb" or "rgb(r, g, b)", as the web softphones take
 */
gboolean
rl_color_parse (const char *text, RlColor *color, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text ? text : ""));
  gboolean ok = trimmed[0] == '#' ? parse_hex (trimmed + 1, color) : parse_rgb (trimmed, color);

  if (!ok)
    g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                 "“%s” is not a colour: use #rrggbb, #rgb or rgb(r, g, b)", trimmed);
  return ok;
}

char *
rl_color_to_string (const RlColor *color)
{
  return g_strdup_printf ("#%02x%02x%02x", (int) lround (color->red * 255),
                          (int) lround (color->green * 255), (int) lround (color->blue * 255));
}

static double
linear (double channel)
{
  return channel <= 0.04045 ? channel / 12.92 : pow ((channel + 0.055) / 1.055, 2.4);
}

static double
luminance (const RlColor *c)
{
  return 0.2126 * linear (c->red) + 0.7152 * linear (c->green) + 0.0722 * linear (c->blue);
}

/* Returns: 1 (the same) to 21 (black on white) */
double
rl_color_contrast (const RlColor *a, const RlColor *b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

static RlColor
mix (const RlColor *from, const RlColor *to, double t)
{
  return (RlColor){ from->red + (to->red - from->red) * t,
                    from->green + (to->green - from->green) * t,
                    from->blue + (to->blue - from->blue) * t };
}

/* The first step from @color towards @toward that reaches the minimum
 * contrast with @other. Black and white always reach it with any colour
 * (one of them gives at least 4.58:1), so this ends. */
static RlColor
nearest_legible (const RlColor *color, const RlColor *toward, const RlColor *other)
{
  for (int step = 1; step < 100; step++)
    {
      RlColor next = mix (color, toward, step / 100.0);

      if (rl_color_contrast (&next, other) >= RL_COLOR_MIN_CONTRAST)
        return next;
    }
  return *toward;
}

/**
 * rl_color_legible_on:
 * @result: (out): @color, or the nearest colour to it that reads on @background
 *
 * For text in a brand colour (links, the accent). Returns: whether @color
 * had to change
 */
gboolean
rl_color_legible_on (const RlColor *color, const RlColor *background, RlColor *result)
{
  const RlColor *toward
    = rl_color_contrast (background, &black) >= rl_color_contrast (background, &white) ? &black
                                                                                       : &white;

  *result = *color;
  if (rl_color_contrast (color, background) >= RL_COLOR_MIN_CONTRAST)
    return FALSE;
  *result = nearest_legible (color, toward, background);
  return TRUE;
}

/**
 * rl_color_fill_for_text:
 * @result: (out): @fill, or the nearest colour to it that its text reads on
 * @text: (out): the text colour for it, black or white
 *
 * For a brand colour that fills buttons. White text, as brands mean it, on
 * any fill that is nearly dark enough for it (3:1, WCAG's floor for large
 * text), the fill darkened until it reads; black on light fills. Returns:
 * whether @fill had to change
 */
gboolean
rl_color_fill_for_text (const RlColor *fill, RlColor *result, RlColor *text)
{
  gboolean white_text = rl_color_contrast (fill, &white) >= 3.0
                        || rl_color_contrast (fill, &black) < RL_COLOR_MIN_CONTRAST;

  *text = white_text ? white : black;
  *result = *fill;
  if (rl_color_contrast (fill, text) >= RL_COLOR_MIN_CONTRAST)
    return FALSE;
  *result = nearest_legible (fill, white_text ? &black : &white, text);
  return TRUE;
}
