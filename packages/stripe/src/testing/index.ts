export type { CompletedCheckout } from "./completeCheckout";
export type { FakeStripeState, RecordedRequest } from "./fakeState";
export {
  type FakeStripe,
  type FakeStripeOptions,
  type SignedWebhook,
  type SignOptions,
  startFakeStripe,
} from "./fakeStripe";
