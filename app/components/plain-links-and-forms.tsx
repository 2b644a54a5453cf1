import { useNavigate, useSubmit } from "@remix-run/react";
import type { FormEvent, MouseEvent } from "react";

// React Router's own test for a click it may take over (a plain left click, no modifier key).
const isPlainClick = (event: MouseEvent) => event.button === 0 && !(event.metaKey || event.altKey || event.ctrlKey || event.shiftKey);
const sameOrigin = (url: string) => new URL(url, window.location.href).origin === window.location.origin;
const opensHere = (target: string) => !target || target === "_self";

/**
 * What a Remix <Link> and <Form> add with JavaScript (navigation and posts without a full page load), for
 * the plain <a> and <form> elements inside one container, by two handlers on the container: spread the
 * result on it. A week's timetable has some 60 links and 60 forms, and each <Link> or <Form> runs about ten
 * hooks on the server for every page it is in (docs/decisions/0030). Links and forms to another origin, to
 * another window or tab, downloads, modified clicks and anything marked `data-reload` are left to the
 * browser. A form with `data-confirm` asks that question first; declining sends nothing. Without
 * JavaScript the markup works as it is.
 */
export function usePlainLinksAndForms() {
  const navigate = useNavigate();
  const submit = useSubmit();
  return {
    onClick(event: MouseEvent<HTMLElement>) {
      if (event.defaultPrevented || !isPlainClick(event) || !(event.target instanceof Element)) return;
      const link = event.target.closest("a");
      if (!link || link.hasAttribute("download") || link.hasAttribute("data-reload") || !opensHere(link.target) || !sameOrigin(link.href)) return;
      event.preventDefault();
      const url = new URL(link.href);
      navigate(url.pathname + url.search + url.hash);
    },
    onSubmit(event: FormEvent<HTMLElement>) {
      const form = event.target;
      if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        return;
      }
      if (form.hasAttribute("data-reload") || !opensHere(form.target) || !sameOrigin(form.action)) return;
      event.preventDefault();
      const submitter = (event.nativeEvent as SubmitEvent).submitter;
      submit(submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement ? submitter : form);
    },
  };
}
