// The library's one registration: libherald_webhook.so.
#include "webhook_channel.h"

HERALD_CHANNEL_PLUGIN(herald::webhook::WebhookChannel, herald::webhook::kName,
                      herald::webhook::kVersion, herald::webhook::kDescription)
