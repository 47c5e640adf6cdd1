/* rl-color.h: colours a call center brands Ringline with, kept legible.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* sRGB, each channel 0..1. */
typedef struct
{
  double red, green, blue;
} RlColor;

/* WCAG 2's floor for body text. */
#define RL_COLOR_MIN_CONTRAST 4.5

gboolean rl_color_parse (const char *text, RlColor *color, GError **error);
char *rl_color_to_string (const RlColor *color);
double rl_color_contrast (const RlColor *a, const RlColor *b);
gboolean rl_color_legible_on (const RlColor *color, const RlColor *background, RlColor *result);
gboolean rl_color_fill_for_text (const RlColor *fill, RlColor *result, RlColor *text);

G_END_DECLS
