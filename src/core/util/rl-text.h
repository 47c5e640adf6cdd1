/* rl-text.h: text as searches compare it, shared by contacts and history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *rl_text_fold (const char *text);
const char *rl_text_language (const char *tag);

G_END_DECLS
