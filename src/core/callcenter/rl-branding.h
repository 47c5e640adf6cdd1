/* rl-branding.h: the call center's brand on the window — name, logo,
 * colours, light or dark — from its backend or from a host (SetTheme).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_BRANDING (rl_branding_get_type ())
G_DECLARE_FINAL_TYPE (RlBranding, rl_branding, RL, BRANDING, GObject)

RlBranding *rl_branding_new (GSettings *settings, RlSession *session);
gboolean rl_branding_set_theme (RlBranding *self, GVariant *theme, GError **error);
GVariant *rl_branding_get_theme (RlBranding *self);
const char *rl_branding_get_brand_name (RlBranding *self);
const char *rl_branding_get_style (RlBranding *self);
GBytes *rl_branding_get_logo (RlBranding *self);
char *rl_branding_dup_css (RlBranding *self, gboolean dark);

G_END_DECLS
