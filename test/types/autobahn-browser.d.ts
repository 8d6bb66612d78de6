declare module 'autobahn-browser';
