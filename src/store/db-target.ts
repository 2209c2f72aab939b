/** A --db value naming a PostgreSQL server (postgres:// or postgresql:// URL) rather than a file. */
export const isPostgresUrl = (target: string): boolean => /^postgres(ql)?:\/\//i.test(target.trim());
