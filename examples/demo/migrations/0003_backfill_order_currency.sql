-- checkout-api: normalise currency codes written in lower case by an old client.
UPDATE orders SET currency = upper(currency) WHERE currency <> upper(currency);
