/** The five back-end services; each owns one concern and its own command subjects. */
export const SERVICES = ['provisioner', 'deployer', 'autoscaler', 'storage', 'dns-inspector'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Every process of the platform, as `npm run up` starts them. */
export const APPS = ['gateway', 'chatops', ...SERVICES] as const;
export type AppName = (typeof APPS)[number];
