// What the demo's task definition needs to know about `app-image/`.

/** Container name of the demo app in its task definition. */
export const APP_CONTAINER_NAME = 'app';
/** Environment variable with the URL of the Lattice service the app calls. */
export const APP_TARGET_URL_ENV = 'TARGET_URL';
