/* rl-contacts-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-contact-store.h"

G_BEGIN_DECLS

#define RL_TYPE_CONTACTS_VIEW (rl_contacts_view_get_type ())
G_DECLARE_FINAL_TYPE (RlContactsView, rl_contacts_view, RL, CONTACTS_VIEW, AdwBin)

void rl_contacts_view_set_store (RlContactsView *self, RlContactStore *store);
GtkWidget *rl_contacts_view_get_search_entry (RlContactsView *self);

G_END_DECLS
