/* fuzz-backend.c: what the call-center backend sends Ringline. The reply is
 * parsed as the HTTP client parses it (with the depth limit), then read by
 * every reader of a reply: the session (agent and SIP account), the tokens,
 * the park slots and a call-history record. A fault here is one a broken or
 * hostile backend causes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-backend.h"
#include "rl-history-sync.h"
#include "rl-json.h"
#include "rl-park-slots-private.h"
#include "rl-session-private.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
read_reply (JsonNode *root)
{
  g_autoptr (GVariant) agent = NULL;
  g_autoptr (RlAccount) account = NULL;
  g_autoptr (GVariant) slots = NULL;
  g_autoptr (GVariant) record = NULL;
  JsonObject *object = rl_json_object (root);

  _rl_session_parse_reply (root, &agent, &account, NULL);
  rl_backend_reply_token (root, "access_token");
  slots = _rl_park_slots_from_json (root, NULL);
  if (object)
    record = rl_history_sync_record_from_json (object, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonNode) root = rl_json_parse ((const char *) data, size, NULL);

  if (root)
    read_reply (root);
  return 0;
}
