import { MikroORM } from "@mikro-orm/postgresql";
import type Stripe from "stripe";
import { syncUnsyncedPlans } from "../app/modules/billing/plan-sync.service.server";
import { MembershipPlan } from "../app/modules/memberships/memberships.entities.server";
import { ormConfig } from "../app/modules/orm-config.server";

/**
 * Puts every plan that is not in step into Stripe (the demo seed's, say). With `forgetStripeIds` the plans'
 * Stripe ids are dropped first: a local Stripe server starts empty every time, so what it made before is gone.
 */
export async function syncPlansWithStripe(databaseUrl: string, stripe: Stripe, options: { forgetStripeIds?: boolean } = {}) {
  const orm = await MikroORM.init(ormConfig(databaseUrl, { pool: { min: 0, max: 2 } }));
  try {
    const em = orm.em.fork();
    if (options.forgetStripeIds) {
      await em.nativeUpdate(
        MembershipPlan,
        {},
        { stripeProductId: null, stripePriceId: null, stripeSyncState: "PENDING", stripeSyncError: null, stripeSyncedAt: null },
      );
    }
    return await syncUnsyncedPlans(em, stripe);
  } finally {
    await orm.close();
  }
}
