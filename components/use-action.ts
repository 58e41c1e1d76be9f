"use client";

import { useCallback, useRef, useState } from "react";

interface ActionState<V, D> {
  data?: D;
  error: unknown;
  isPending: boolean;
  isSuccess: boolean;
  variables?: V;
}

const IDLE = { error: null, isPending: false, isSuccess: false } as const;

/**
 * A one-off request and where it stands (the subset of React Query's
 * `useMutation` that /login uses: `mutate`, `reset`, `data`, `error`,
 * `isPending`, `isSuccess`, `variables`, and `onSuccess`/`onError`), without
 * its MutationObserver, which /login's JavaScript budget has no room for
 * (issue 25.7). The ticket itself is still followed with React Query's
 * `useQuery`. As with `useMutation`, the latest call's result is the state;
 * every call's callbacks run.
 */
export function useAction<V, D>(
  run: (variables: V) => Promise<D>,
  on: {
    onSuccess?: (data: D, variables: V) => unknown;
    onError?: (error: unknown, variables: V) => unknown;
  } = {},
) {
  const [state, setState] = useState<ActionState<V, D>>(IDLE);
  const latest = useRef(0);
  const current = useRef({ run, on });
  current.current = { run, on };
  const mutate = useCallback((variables: V) => {
    const n = ++latest.current;
    setState({ ...IDLE, isPending: true, variables });
    current.current.run(variables).then(
      (data) => {
        current.current.on.onSuccess?.(data, variables);
        if (n === latest.current) setState({ ...IDLE, data, isSuccess: true, variables });
      },
      (error: unknown) => {
        current.current.on.onError?.(error, variables);
        if (n === latest.current) setState({ ...IDLE, error, variables });
      },
    );
  }, []);
  const reset = useCallback(() => {
    latest.current++;
    setState(IDLE);
  }, []);
  return { ...state, mutate, reset };
}
