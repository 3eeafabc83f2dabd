export const handler = async (event: unknown) => { return event; };
