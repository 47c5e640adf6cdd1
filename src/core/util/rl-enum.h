/* rl-enum.h: an enum's value as the word D-Bus and the call record use for
 * it, and back. The words are the enum types' nicks (glib-mkenums), so each
 * enum has exactly one table of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

const char *rl_enum_to_nick (GType type, int value);
gboolean rl_enum_from_nick (GType type, const char *nick, int *value);

G_END_DECLS
