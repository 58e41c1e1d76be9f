"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import type { PasskeyInfo, PasskeyList } from "@/lib/api/shapes";
import { ApiRequestError, describeError } from "./api-client";
import {
  addPasskey,
  listPasskeys,
  PasskeyCancelled,
  reauthenticate,
  removePasskey,
  setPasskeyRequired,
} from "./passkey-client";
import { RecoveryCodeList } from "./recovery-code-list";
import { Button } from "./ui/button";

type Change =
  | { kind: "add"; name: string }
  | { kind: "remove"; passkey: PasskeyInfo }
  | { kind: "setting"; on: boolean };

/**
 * The account's passkeys on the phone: add one (the browser asks for the
 * fingerprint, face or PIN), remove one, and "require a passkey to approve".
 * Changes that weaken the check first ask for an existing passkey.
 */
export function PasskeySettings({ initial }: { initial: PasskeyList }) {
  const t = useTranslations("passkeys");
  const format = useFormatter();
  const client = useQueryClient();
  const [name, setName] = useState("");
  // A change the server refused until the password is entered again (403 reauth_required).
  const [waiting, setWaiting] = useState<Change | null>(null);
  const [password, setPassword] = useState("");
  const list = useQuery({ queryKey: ["passkeys"], queryFn: listPasskeys, initialData: initial });
  const data = list.data;
  const has = data.passkeys.length > 0;

  // The account's first recovery codes, when a change made it require a passkey: shown this once.
  const [codes, setCodes] = useState<string[] | null>(null);

  const change = useMutation({
    mutationFn: async (c: Change) => {
      if (c.kind === "add")
        return (await addPasskey(c.name || t("defaultName"), has)).recoveryCodes;
      if (c.kind === "remove") await removePasskey(c.passkey.id);
      else return (await setPasskeyRequired(c.on, has)).recoveryCodes;
    },
    onSuccess: (firstCodes) => {
      if (firstCodes) setCodes(firstCodes);
      setName("");
      void client.invalidateQueries({ queryKey: ["recovery-codes"] });
      return client.invalidateQueries({ queryKey: ["passkeys"] });
    },
    onError: (error, c) => {
      if (error instanceof ApiRequestError && error.code === "reauth_required") setWaiting(c);
    },
  });

  // The password, then the change that waited for it.
  const reauth = useMutation({
    mutationFn: (typed: string) => reauthenticate(typed),
    onSuccess: () => {
      const c = waiting;
      setWaiting(null);
      setPassword("");
      if (c) change.mutate(c);
    },
  });

  const done = change.isSuccess ? change.variables : undefined;
  const problem = (error: unknown) => {
    if (error instanceof PasskeyCancelled) return t("cancelled");
    if (error instanceof ApiRequestError && error.code.startsWith("passkey_")) return t("failed");
    return describeError(error);
  };

  return (
    <>
      {done ? (
        <p role="status" className="status status-ok">
          {done.kind === "add"
            ? t("added")
            : done.kind === "remove"
              ? t("removed", { name: done.passkey.name })
              : done.on
                ? t("settingOn")
                : t("settingOff")}
        </p>
      ) : null}
      {codes ? <RecoveryCodeList codes={codes} onSaved={() => setCodes(null)} /> : null}
      {change.isError && !waiting ? (
        <p role="alert" className="status-error">
          {problem(change.error)}
        </p>
      ) : null}
      {waiting ? (
        <form
          className="form card"
          aria-labelledby="reauth-title"
          onSubmit={(event) => {
            event.preventDefault();
            reauth.mutate(password);
          }}
        >
          <h2 id="reauth-title">{t("reauthTitle")}</h2>
          <p className="muted">{t("reauthHelp")}</p>
          <label htmlFor="reauth-password">{t("reauthPassword")}</label>
          <input
            id="reauth-password"
            type="password"
            autoComplete="current-password"
            required
            // biome-ignore lint/a11y/noAutofocus: the form appears because the person just asked for this change
            autoFocus
            value={password}
            aria-invalid={reauth.isError || undefined}
            aria-describedby={reauth.isError ? "reauth-error" : undefined}
            onChange={(event) => setPassword(event.target.value)}
          />
          {reauth.isError ? (
            <p id="reauth-error" role="alert" className="status-error">
              {reauth.error instanceof ApiRequestError &&
              reauth.error.code === "invalid_credentials"
                ? t("reauthWrong")
                : describeError(reauth.error)}
            </p>
          ) : null}
          <Button type="submit" disabled={reauth.isPending || password === ""}>
            {t("reauthSubmit")}
          </Button>
          <Button
            variant="secondary"
            type="button"
            onClick={() => {
              setWaiting(null);
              setPassword("");
              reauth.reset();
              change.reset();
            }}
          >
            {t("reauthCancel")}
          </Button>
        </form>
      ) : null}
      <p>{data.required ? t("requiredNow") : t("notRequiredNow")}</p>
      {has ? (
        <ul aria-label={t("listLabel")} style={{ listStyle: "none", padding: 0 }}>
          {data.passkeys.map((p) => (
            <li key={p.id} className="card">
              <h2>{p.name}</h2>
              <p className="muted">
                {t("createdAt", {
                  at: format.dateTime(new Date(p.createdAt), { dateStyle: "medium" }),
                })}
                {p.lastUsedAt
                  ? ` · ${t("lastUsedAt", { at: format.relativeTime(new Date(p.lastUsedAt)) })}`
                  : ""}
              </p>
              <Button
                variant="secondary"
                onClick={() => change.mutate({ kind: "remove", passkey: p })}
                disabled={change.isPending}
                aria-label={t("removeLabel", { name: p.name })}
              >
                {t("remove")}
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("none")}</p>
      )}
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          change.mutate({ kind: "add", name: name.trim() });
        }}
      >
        <label htmlFor="passkey-name">{t("nameLabel")}</label>
        <input
          id="passkey-name"
          value={name}
          maxLength={60}
          placeholder={t("defaultName")}
          onChange={(event) => setName(event.target.value)}
        />
        <Button type="submit" disabled={change.isPending}>
          {t("add")}
        </Button>
      </form>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={data.requireForApproval}
          disabled={change.isPending}
          onChange={(event) => change.mutate({ kind: "setting", on: event.target.checked })}
        />{" "}
        {t("settingLabel")}
      </label>
      <p className="muted">{t("settingHelp")}</p>
    </>
  );
}
