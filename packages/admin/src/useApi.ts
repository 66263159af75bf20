import { useCallback, useEffect, useState } from "react";
import { callApi, errorMessage } from "./api";

/** GETs `path` with `key`; `reload` fetches it again (after a change). */
export function useApi<T>(key: string, path: string) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    callApi<T>(key, "GET", path).then(
      (answer) => {
        setData(answer);
        setError(null);
      },
      (failure) => setError(errorMessage(failure)),
    );
  }, [key, path]);
  useEffect(reload, [reload]);
  return { data, error, reload };
}
