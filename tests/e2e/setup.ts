// Each end-to-end test runs several real `pulumi` commands (a few seconds each).
jest.setTimeout(300_000);
