import { kubectlSkew, parseMajorMinor } from './version.skew';

const server = (gitVersion: string, major = '1', minor = gitVersion.split('.')[1]) => ({ gitVersion, major, minor });

describe('kubectlSkew', () => {
  it.each([
    ['v1.36.3', 'v1.36.3', true],
    ['v1.35.0', 'v1.36.3', true],
    ['v1.37.1', 'v1.36.3', true],
    ['v1.34.9', 'v1.36.3', false],
    ['v1.38.0', 'v1.36.3', false],
    ['2.36.0', 'v1.36.3', false],
    ['garbage', 'v1.36.3', false],
  ])('kubectl %s against %s → %p', (client, srv, ok) => {
    expect(kubectlSkew(client, server(srv))).toEqual({ kubectlClient: client, withinOneMinor: ok });
  });

  it('understands provider minor versions like "27+"', () => {
    expect(kubectlSkew('v1.28.0', { gitVersion: 'v1.27.4-gke.900', major: '1', minor: '27+' }).withinOneMinor).toBe(true);
    expect(parseMajorMinor('v1.36.0-rc.1+abc')).toEqual({ major: 1, minor: 36 });
  });
});
