-- checkout-api: orders and their line items.
CREATE TABLE orders (
  id            uuid PRIMARY KEY,
  customer_id   uuid        NOT NULL,
  status        text        NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'refunded')),
  amount_cents  bigint      NOT NULL CHECK (amount_cents >= 0),
  currency      char(3)     NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
  order_id     uuid   NOT NULL REFERENCES orders (id),
  sku          text   NOT NULL,
  quantity     int    NOT NULL CHECK (quantity > 0),
  price_cents  bigint NOT NULL,
  PRIMARY KEY (order_id, sku)
);
