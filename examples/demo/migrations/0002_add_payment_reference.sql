-- payments-gateway: link an order to the acquirer's payment reference. Additive and safe to roll back past.
ALTER TABLE orders ADD COLUMN payment_reference text;
CREATE INDEX CONCURRENTLY orders_payment_reference_idx ON orders (payment_reference);
