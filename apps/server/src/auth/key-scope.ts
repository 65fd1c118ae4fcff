/**
 * What a credential may say. A public write key ships in web pages, so anyone can read it and
 * send with it: it carries behaviour only. Revenue facts (what churn metrics, GRR/NRR and the
 * risk model read as money and contract) need a server-side credential, the secret key.
 */
export type KeyScope = 'public' | 'server';
