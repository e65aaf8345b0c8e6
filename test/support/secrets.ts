/** The signing secret every test harness and test stack shares. */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';
