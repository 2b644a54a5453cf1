// Plain-HTML pages of the local Stripe server: hosted checkout (Pay / Decline forms, no JavaScript), the
// customer portal, a hosted invoice and a receipt.
import type { Obj } from "./store";

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

export function formatMoney(amount: number, currency: string): string {
  const code = (currency || "gbp").toUpperCase();
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency: code }).format(amount / 100);
  } catch {
    return `${(amount / 100).toFixed(2)} ${code}`;
  }
}

const date = (unixSeconds: number | null | undefined) => (unixSeconds ? new Date(unixSeconds * 1000).toISOString().slice(0, 10) : "");

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
.banner { background: #fff3cd; border: 1px solid #e0c46c; padding: .5rem .75rem; border-radius: 4px; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; padding: .4rem; border-bottom: 1px solid #ddd; }
.total { font-size: 1.4rem; font-weight: 600; }
form { display: inline-block; margin-right: .75rem; }
button { font-size: 1rem; padding: .6rem 1.4rem; border-radius: 4px; border: 1px solid #555; cursor: pointer; }
button.pay { background: #635bff; color: white; border-color: #635bff; }
</style>
</head>
<body>
<p class="banner">Local Stripe test server — no real payment is taken.</p>
${body}
</body>
</html>
`;
}

export function checkoutPage(session: Obj, lineItems: Obj[], customer: Obj | null): string {
  const rows = lineItems
    .map((li) => {
      const recurring = li.price?.recurring ? ` per ${escapeHtml(li.price.recurring.interval)}` : "";
      return `<tr><td>${escapeHtml(li.description)}</td><td>${escapeHtml(li.quantity)}</td><td>${escapeHtml(formatMoney(li.amount_total, li.currency))}${recurring}</td></tr>`;
    })
    .join("\n");
  // Only the submit buttons read "Pay" and "Decline" (the page's contract), so the heading says something else.
  const what = session.mode === "subscription" ? "Subscribe" : "Checkout";
  const status =
    session.status === "open"
      ? `<form method="post" action="/checkout/${escapeHtml(session.id)}/pay"><button class="pay" type="submit">Pay</button></form>
<form method="post" action="/checkout/${escapeHtml(session.id)}/decline"><button type="submit">Decline</button></form>`
      : `<p>This checkout session is ${escapeHtml(session.status)}.</p>`;
  return layout(
    `${what} — local Stripe checkout`,
    `<h1>${what}</h1>
${customer?.email ? `<p>Customer: ${escapeHtml(customer.email)}</p>` : ""}
<table>
<thead><tr><th>Item</th><th>Qty</th><th>Amount</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="total">Total: <span data-amount="${escapeHtml(session.amount_total)}">${escapeHtml(formatMoney(session.amount_total, session.currency))}</span>${session.mode === "subscription" ? " per month" : ""}</p>
${status}`,
  );
}

export function portalPage(portal: Obj, customer: Obj, subscriptions: Obj[], invoices: Obj[], productName: (id: string) => string): string {
  const subRows = subscriptions
    .map((s) => {
      const item = s.items.data[0];
      const state = s.pause_collection ? `${s.status} (collection paused)` : s.cancel_at_period_end ? `${s.status} (ends ${date(s.cancel_at)})` : s.status;
      return `<tr><td>${escapeHtml(productName(item?.price?.product))}</td><td>${escapeHtml(formatMoney(item?.price?.unit_amount ?? 0, s.currency))} / ${escapeHtml(item?.price?.recurring?.interval ?? "month")}</td><td>${escapeHtml(state)}</td><td>${date(item?.current_period_end)}</td></tr>`;
    })
    .join("\n");
  const invRows = invoices
    .map(
      (i) =>
        `<tr><td>${escapeHtml(i.number)}</td><td>${date(i.created)}</td><td>${escapeHtml(formatMoney(i.amount_due, i.currency))}</td><td>${escapeHtml(i.status)}</td><td><a href="${escapeHtml(i.hosted_invoice_url)}">View</a></td></tr>`,
    )
    .join("\n");
  return layout(
    "Billing — local Stripe portal",
    `<h1>Billing</h1>
<p>${escapeHtml(customer.name ?? "")} ${escapeHtml(customer.email ?? "")}</p>
<h2>Subscriptions</h2>
${subscriptions.length ? `<table><thead><tr><th>Plan</th><th>Price</th><th>Status</th><th>Current period ends</th></tr></thead><tbody>${subRows}</tbody></table>` : "<p>No subscriptions.</p>"}
<h2>Invoices</h2>
${invoices.length ? `<table><thead><tr><th>Number</th><th>Date</th><th>Amount</th><th>Status</th><th></th></tr></thead><tbody>${invRows}</tbody></table>` : "<p>No invoices.</p>"}
${portal.return_url ? `<p><a href="${escapeHtml(portal.return_url)}">Return</a></p>` : ""}`,
  );
}

export function invoicePage(invoice: Obj): string {
  const rows = invoice.lines.data
    .map(
      (l: Obj) =>
        `<tr><td>${escapeHtml(l.description)}</td><td>${date(l.period?.start)} – ${date(l.period?.end)}</td><td>${escapeHtml(formatMoney(l.amount, l.currency))}</td></tr>`,
    )
    .join("\n");
  return layout(
    `Invoice ${invoice.number}`,
    `<h1>Invoice ${escapeHtml(invoice.number)}</h1>
<p>Status: ${escapeHtml(invoice.status)}</p>
<table><tbody>${rows}</tbody></table>
<p class="total">Amount due ${escapeHtml(formatMoney(invoice.amount_due, invoice.currency))}; paid ${escapeHtml(formatMoney(invoice.amount_paid, invoice.currency))}</p>`,
  );
}

export function receiptPage(charge: Obj): string {
  return layout(
    "Receipt",
    `<h1>Receipt</h1>
<p>${escapeHtml(charge.description ?? "")}</p>
<p class="total">${escapeHtml(formatMoney(charge.amount, charge.currency))} paid on ${date(charge.created)}</p>
${charge.amount_refunded ? `<p>Refunded: ${escapeHtml(formatMoney(charge.amount_refunded, charge.currency))}</p>` : ""}`,
  );
}

export function notFoundPage(what: string): string {
  return layout("Not found", `<h1>Not found</h1><p>${escapeHtml(what)}</p>`);
}
