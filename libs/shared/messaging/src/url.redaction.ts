/** A server URL fit for logs: user and password replaced (`nats://bosun:s3cret@nats:4222` → `nats://***:***@nats:4222`). */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = u.username ? '***' : '';
    u.password = u.password ? '***' : '';
    return u.toString();
  } catch {
    // Not a URL we can parse: show nothing of it, it might hold a credential.
    return '(unparsable URL)';
  }
};
