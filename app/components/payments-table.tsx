import type { PaymentView } from "~/modules/billing/payments.service.server";

/** The payments history: purchases, monthly payments and refunds, newest first, with Stripe's receipts. */
export function PaymentsTable({ payments, empty }: { payments: PaymentView[]; empty: string }) {
  if (!payments.length) return <p className="text-sm text-slate-700">{empty}</p>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[32rem] text-left text-sm">
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-2 pr-3">
              Date
            </th>
            <th scope="col" className="py-2 pr-3">
              What
            </th>
            <th scope="col" className="py-2 pr-3 text-right">
              Amount
            </th>
            <th scope="col" className="py-2 pr-3">
              Status
            </th>
            <th scope="col" className="py-2">
              Receipt
            </th>
          </tr>
        </thead>
        <tbody>
          {payments.map((p) => (
            <tr key={p.id} className="border-b border-slate-200">
              <td className="py-2 pr-3 whitespace-nowrap">{p.date}</td>
              <td className="py-2 pr-3">{p.what}</td>
              <td className="py-2 pr-3 text-right whitespace-nowrap">{p.amount}</td>
              <td className="py-2 pr-3">{p.status}</td>
              <td className="py-2">
                {p.receiptUrl ? (
                  <a href={p.receiptUrl} rel="noreferrer">
                    Receipt<span className="sr-only"> for {p.what}</span>
                  </a>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
