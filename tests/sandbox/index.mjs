// Public surface of the sandbox. The judge never imports the project's own code.
export { startSandbox } from './server.mjs';
export { MODES, answerMessage, signAnswer } from './answer.mjs';
export { parseAuthorization, requestMessage, verifyRequest, nonce, SCHEME } from './auth.mjs';
export { generateKeys, randomSerial, randomPubKeyId } from './keys.mjs';
export { selfSignedCertificate } from './x509.mjs';
export { CARD_ID } from './cards.mjs';
export { closedPort } from './ports.mjs';
export { NOTIFY_MODES, EVENTS, buildNotification, postNotification, encryptResource, decryptResource, randomApiV3Key } from './notify.mjs';
